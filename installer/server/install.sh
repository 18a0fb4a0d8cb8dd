#!/bin/sh
# Install or upgrade the Yimen central server from this folder (made by `python -m installer.server.build`):
#
#   sudo ./install.sh              the virtual environment, the service user, the systemd units, the settings file
#   ./install.sh --venv-only       only the virtual environment (as any user; YIMEN_SERVER_PREFIX to choose where)
#
# The server gets its own virtual environment, never a shared site-packages: the pinned dependencies first, each
# checked against its hash (requirements-server.lock), then the project's wheel without dependencies.  Each version
# gets its own environment (venvs/VERSION) and the link `venv` moves to it in one step, so the running instances
# keep their files until they are restarted.  Nothing is started or restarted here (docs/operations.md).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${YIMEN_SERVER_PREFIX:-/opt/yimen-server}
python=${PYTHON:-python3}
venv_only=no
case "${1:-}" in
  --venv-only) venv_only=yes ;;
  "") ;;
  *) echo "用法：install.sh [--venv-only]" >&2; exit 2 ;;
esac

set -- "$here"/yimen-*.whl
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
  echo "本文件夹中应有且只有一个 yimen-*.whl，请重新生成安装包（python -m installer.server.build）。" >&2
  exit 1
fi
wheel=$1
version=$(basename "$wheel" | cut -d- -f2)

target="$prefix/venvs/$version"
if [ -f "$target/.installed" ]; then
  echo "中心服务器 $version 的虚拟环境已存在（$target），不再重装。"
else
  # A venv records its own path, so it is built where it stays; the link below moves only once it is complete.
  rm -rf "$target"
  mkdir -p "$prefix/venvs"
  "$python" -m venv "$target"
  "$target/bin/pip" install --quiet --disable-pip-version-check --require-hashes \
    -r "$here/requirements-server.lock"
  "$target/bin/pip" install --quiet --disable-pip-version-check --no-deps "$wheel"
  touch "$target/.installed"
fi
ln -sfn "venvs/$version" "$prefix/venv.new"
mv -T "$prefix/venv.new" "$prefix/venv"
echo "中心服务器 $version 已安装到 $prefix/venv。"

[ "$venv_only" = yes ] && exit 0

if ! getent passwd yimen-server >/dev/null; then
  useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin yimen-server
fi
install -d -m 0750 -o root -g yimen-server /etc/yimen-server
if [ ! -e /etc/yimen-server/yimen-server.env ]; then
  install -m 0640 -o root -g yimen-server "$here/yimen-server.env.example" /etc/yimen-server/yimen-server.env
  echo "已生成 /etc/yimen-server/yimen-server.env，请先填写数据库地址再启动服务。"
fi
install -m 0644 "$here/systemd/yimen-server@.service" "$here/systemd/yimen-server-migrate.service" \
  "$here/systemd/yimen-server-partitions.service" "$here/systemd/yimen-server-partitions.timer" \
  /etc/systemd/system/
systemctl daemon-reload
echo "下一步：systemctl enable --now yimen-server@8601 yimen-server@8602（每个 CPU 核一个端口，并写入 nginx 配置）；"
echo "在其中一台服务器上：systemctl enable --now yimen-server-partitions.timer（每天建好事件表的月份分区）。"
echo "升级时逐个 systemctl restart yimen-server@端口（每次启动前先自动执行 yimen-server migrate）。"
