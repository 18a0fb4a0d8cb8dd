<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>正在读取……</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>关于 一门式社区事务受理台</source>
        <translation>About Yimen community affairs counter</translation>
    </message>
    <message>
        <source>一门式社区事务受理台</source>
        <translation>Yimen community affairs counter</translation>
    </message>
    <message>
        <source>复制(&amp;C)</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>把以上信息复制到剪贴板，发给技术支持</source>
        <translation>Copy the lines above to the clipboard, to send to support</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>版本：{version}</source>
        <translation>Version: {version}</translation>
    </message>
    <message>
        <source>数据库结构版本：{schema}</source>
        <translation>Database schema version: {schema}</translation>
    </message>
    <message>
        <source>中心：{name}（{code}）</source>
        <translation>Center: {name} ({code})</translation>
    </message>
    <message>
        <source>工位：{name}（{code}）</source>
        <translation>Workstation: {name} ({code})</translation>
    </message>
    <message>
        <source>Qt：{qt}，PySide6：{pyside}</source>
        <translation>Qt: {qt}, PySide6: {pyside}</translation>
    </message>
    <message>
        <source>Python：{python}</source>
        <translation>Python: {python}</translation>
    </message>
    <message>
        <source>操作系统：{system}</source>
        <translation>Operating system: {system}</translation>
    </message>
    <message>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
    <message>
        <source>（新数据库）</source>
        <translation>(new database)</translation>
    </message>
    <message>
        <source>无法读取（{reason}）</source>
        <translation>Cannot be read ({reason})</translation>
    </message>
</context>
<context>
    <name>AccountsModel</name>
    <message>
        <source>窗口人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>值班长</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>系统管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>已锁定</source>
        <translation>Locked out</translation>
    </message>
    <message>
        <source>临时密码待修改</source>
        <translation>Temporary password not yet changed</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
</context>
<context>
    <name>ApplicationsModel</name>
    <message>
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service item</translation>
    </message>
    <message>
        <source>受理结果</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>办理进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>上传</source>
        <translation>Upload</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>文书编号 {no}</source>
        <translation>Notice no. {no}</translation>
    </message>
    <message>
        <source>中心更新于 {time}</source>
        <translation>Updated by the centre at {time}</translation>
    </message>
</context>
<context>
    <name>ApplicationsView</name>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>办件编号、姓名或证件号码；回车查询，清空后回车显示今日</source>
        <translation>Case no., name or ID number; Enter searches, Enter on an empty box shows today</translation>
    </message>
    <message>
        <source>今日全部</source>
        <translation>All of today</translation>
    </message>
    <message>
        <source>逾期未补交</source>
        <translation>Overdue materials</translation>
    </message>
    <message>
        <source>容缺受理、先行救助的办件中，补交期限已过仍缺材料的</source>
        <translation>Cases accepted with materials owed (容缺受理, 先行救助) whose due date has passed with materials still missing</translation>
    </message>
    <message>
        <source>打印文书 (Ctrl+P)</source>
        <translation>Print documents (Ctrl+P)</translation>
    </message>
    <message>
        <source>打印所选申请的回执、通知书或申请表；已交付过的按补打办理</source>
        <translation>Print the selected application&apos;s receipt, notice or form; a document already handed out is reprinted</translation>
    </message>
    <message>
        <source>今日收件 {n} 件</source>
        <translation>Received today: {n}</translation>
    </message>
    <message>
        <source>逾期未补交 {n} 件</source>
        <translation>Overdue materials: {n}</translation>
    </message>
    <message>
        <source>查询“{q}”：{n} 件</source>
        <translation>Search “{q}”: {n} found</translation>
    </message>
    <message>
        <source>请先在列表中选择一件申请。</source>
        <translation>Select an application in the list first.</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>更正后的申请信息</source>
        <translation>Corrected application details</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>值班长账号</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <source>值班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <source>确认（值班长批准）</source>
        <translation>Confirm (supervisor approves)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <source>附加…</source>
        <extracomment>Attaches on their way through the database worker (:attr:`attaching`). The thumbnails made so far, by SHA-256 (the line&apos;s thumbnails are made again on every change).</extracomment>
        <translation>Attach…</translation>
    </message>
    <message>
        <source>附加扫描件或 PDF（JPEG、PNG、PDF）</source>
        <translation>Attach a scan or PDF (JPEG, PNG, PDF)</translation>
    </message>
    <message>
        <source>拍照…</source>
        <translation>Photo…</translation>
    </message>
    <message>
        <source>用高拍仪拍下这份材料（空格键拍照，可连拍多张）</source>
        <translation>Photograph this material with the document camera (Space takes a picture; several in a row)</translation>
    </message>
    <message>
        <source>无法读取文件 {name}：请确认文件仍在且未被其他程序占用。</source>
        <translation>Cannot read the file {name}: check that it still exists and is not in use by another program.</translation>
    </message>
    <message>
        <source>，{n} 页</source>
        <translation>, {n} pages</translation>
    </message>
    <message>
        <source>点击查看全图{pages}</source>
        <translation>Click to view in full{pages}</translation>
    </message>
    <message>
        <source>正在附加…</source>
        <translation>Attaching…</translation>
    </message>
</context>
<context>
    <name>AttachmentViewer</name>
    <message>
        <source>材料文件</source>
        <translation>Material file</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <source>向右旋转</source>
        <translation>Rotate right</translation>
    </message>
    <message>
        <source>删除此页</source>
        <translation>Delete this page</translation>
    </message>
    <message>
        <source>移除此文件</source>
        <translation>Remove this file</translation>
    </message>
    <message>
        <source>第 {page} 页，共 {pages} 页</source>
        <translation>Page {page} of {pages}</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <source>高拍仪拍照</source>
        <extracomment>``[materials] camera`` values with a meaning of their own. How often the live picture is drawn again (ms): enough for framing a page, light on the CPU. The JPEG quality of a captured picture (the store downscales and may encode it again: app/attachments.py).</extracomment>
        <translation>Document camera</translation>
    </message>
    <message>
        <source>正在打开高拍仪……</source>
        <translation>Opening the document camera…</translation>
    </message>
    <message>
        <source>把材料放在高拍仪下，按空格键或 Enter 拍照；可连续拍多张，按 Esc 关闭。</source>
        <translation>Lay the material under the document camera and press Space or Enter to take a picture; take several in a row, Esc closes.</translation>
    </message>
    <message>
        <source>拍照（空格）</source>
        <translation>Take picture (Space)</translation>
    </message>
    <message>
        <source>关闭（Esc）</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>本机缺少高拍仪所需的系统组件（{detail}）：请 IT 安装后再试；也可以先扫描成文件，用“附加…”附加。</source>
        <translation>This computer lacks a system component the document camera needs ({detail}): ask IT to install it and try again; or scan to a file and use Attach….</translation>
    </message>
    <message>
        <source>未找到高拍仪：请确认高拍仪的 USB 线已接好、指示灯已亮，关闭本窗口后再按“拍照…”；也可以先扫描成文件，用“附加…”附加。</source>
        <translation>No document camera found: check that its USB cable is plugged in and its light is on, close this window and press Photo… again; or scan to a file and use Attach….</translation>
    </message>
    <message>
        <source>本机没有名称含“{name}”的摄像设备（现有：{names}）：请 IT 检查部署文件中的 [materials] camera。</source>
        <translation>This computer has no camera whose name contains “{name}” (present: {names}): ask IT to check [materials] camera in the deployment file.</translation>
    </message>
    <message>
        <source>高拍仪不可用</source>
        <translation>Document camera unavailable</translation>
    </message>
    <message>
        <source>高拍仪出错（{detail}）：请重新插拔高拍仪的 USB 线，关闭本窗口后再按“拍照…”；也可以先扫描成文件，用“附加…”附加。</source>
        <translation>The document camera failed ({detail}): unplug and plug in its USB cable, close this window and press Photo… again; or scan to a file and use Attach….</translation>
    </message>
    <message>
        <source>高拍仪的画面还没有出现：请稍候再拍。</source>
        <translation>The camera&apos;s picture has not appeared yet: wait a moment and try again.</translation>
    </message>
    <message>
        <source>这一张没有拍成：请再按一次空格键。</source>
        <translation>That picture was not taken: press Space again.</translation>
    </message>
    <message>
        <source>高拍仪照片</source>
        <translation>Document camera picture</translation>
    </message>
    <message>
        <source>画面与上一张相同，未重复附加。</source>
        <translation>The picture is the same as the last one; it was not attached again.</translation>
    </message>
    <message>
        <source>已拍 {n} 张，附加到本条材料；可继续拍下一张，按 Esc 关闭。</source>
        <translation>{n} taken and attached to this material; take the next one, or press Esc to close.</translation>
    </message>
</context>
<context>
    <name>CardReader</name>
    <message>
        <source>姓名</source>
        <extracomment>After a failure to open, the reader is tried again after this long (a reader plugged in later is found). Failed polls in a row after which the reader is closed and opened again. The role fields a card fills where the item has them (field key → what of the card).</extracomment>
        <translation>Name</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>签发机关</source>
        <translation>Issuing authority</translation>
    </message>
    <message>
        <source>有效期起</source>
        <translation>Valid from</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
</context>
<context>
    <name>CardReaderLink</name>
    <message>
        <source>身份证读卡器已连接，可以放证读卡。</source>
        <extracomment>The chip&apos;s photo as PNG (None: the SDK gave none), and the file it became on the ID-card line (None: not kept, the item does not keep photos or its line is not on the checklist yet).</extracomment>
        <translation>The ID card reader is connected; place a card to read it.</translation>
    </message>
    <message>
        <source>读卡时受理页未打开：请切换到受理页（F2）后，把证件取下再重新放上读卡器。</source>
        <translation>The intake page was not open when the card was read: switch to it (F2), then take the card off and place it on the reader again.</translation>
    </message>
    <message>
        <source>该证件已过有效期（有效期至 {date}），请核实身份后再办理，或请申请人出示有效证件。</source>
        <translation>This card has expired (valid until {date}). Verify the person&apos;s identity before going on, or ask for a valid card.</translation>
    </message>
    <message>
        <source>已读入{card}。</source>
        <translation>{card} read.</translation>
    </message>
    <message>
        <source>证件照片</source>
        <translation>ID card photo</translation>
    </message>
    <message>
        <source>读卡后已手工修改</source>
        <translation>Changed by hand after the card was read</translation>
    </message>
    <message>
        <source>由身份证读卡器读入</source>
        <translation>Read from the ID card reader</translation>
    </message>
    <message>
        <source>已从{card}读入。</source>
        <translation>Read from the {card}.</translation>
    </message>
    <message>
        <source>读卡后手工修改：{fields}（受理时记入审计）。</source>
        <translation>Changed by hand after reading: {fields} (recorded in the audit trail with the decision).</translation>
    </message>
    <message>
        <source>证件已过有效期。</source>
        <translation>The card has expired.</translation>
    </message>
</context>
<context>
    <name>CaseFilesBox</name>
    <message>
        <source>电子材料</source>
        <extracomment>The full view&apos;s long side, in pixels (drawn once, scaled to the window).</extracomment>
        <translation>Electronic materials</translation>
    </message>
    <message>
        <source>PDF，{n} 页</source>
        <extracomment>The file widgets by objectName (a button, or a label for a file not on this workstation).</extracomment>
        <translation>PDF, {n} pages</translation>
    </message>
    <message>
        <source>{type} 图片</source>
        <translation>{type} image</translation>
    </message>
    <message>
        <source>已按保存期限从本机清理，原件在中心服务器</source>
        <translation>Removed from this workstation after the retention period; the original is on the central server</translation>
    </message>
    <message>
        <source>本机没有该文件（恢复时未能取回），原件在中心服务器</source>
        <translation>Not on this workstation (not fetched back during recovery); the original is on the central server</translation>
    </message>
    <message>
        <source>{line}：点击查看原件（{kind}，{size}）</source>
        <translation>{line}: click to view the original ({kind}, {size})</translation>
    </message>
    <message>
        <source>{line}的材料文件：{kind}</source>
        <translation>Material file of {line}: {kind}</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>日结 {day}</source>
        <translation>Day close {day}</translation>
    </message>
    <message>
        <source>日结后，本日的办件不能再由窗口人员办理或修改；确需更正或作废的，由值班长本人录入并批准，记入办理当天的报表并标明“日结后更改”。</source>
        <translation>Once the day is closed, clerks can no longer handle or change its cases; a correction or void that is really needed is entered and approved by the supervisor, counted in that day&apos;s report and marked “changed after day close”.</translation>
    </message>
    <message>
        <source>本日还有未了结的事项：</source>
        <translation>Still open for this day:</translation>
    </message>
    <message>
        <source>编号连续，与中心服务器一致。</source>
        <translation>The numbers are continuous and match the central server.</translation>
    </message>
    <message>
        <source>写明未了结事项的原因和处理安排（必填）</source>
        <translation>Why these items are still open and how they will be dealt with (required)</translation>
    </message>
    <message>
        <source>没有未了结事项，可不填</source>
        <translation>Nothing is open; may be left empty</translation>
    </message>
    <message>
        <source>值班长 {name} 的密码(&amp;P)</source>
        <translation>Supervisor {name}&apos;s &amp;password</translation>
    </message>
    <message>
        <source>原因(&amp;Y)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>确认日结</source>
        <translation>Confirm day close</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请输入您的密码确认日结。</source>
        <translation>Enter your password to confirm the day close.</translation>
    </message>
</context>
<context>
    <name>DayClosePage</name>
    <message>
        <source>日期(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>对账(&amp;R)</source>
        <translation>&amp;Reconcile</translation>
    </message>
    <message>
        <source>日结(&amp;J)…</source>
        <translation>Day &amp;close…</translation>
    </message>
    <message>
        <source>编号连续性</source>
        <translation>Number continuity</translation>
    </message>
    <message>
        <source>编号系列</source>
        <translation>Number series</translation>
    </message>
    <message>
        <source>第一个</source>
        <translation>First</translation>
    </message>
    <message>
        <source>最后一个</source>
        <translation>Last</translation>
    </message>
    <message>
        <source>件数</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>检查结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>与中心服务器的差异</source>
        <translation>Differences from the central server</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>差异</source>
        <translation>Difference</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>没有差异。</source>
        <translation>No differences.</translation>
    </message>
    <message>
        <source>逐件核对</source>
        <translation>Case by case</translation>
    </message>
    <message>
        <source>本机事件</source>
        <translation>Local events</translation>
    </message>
    <message>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <source>待上传</source>
        <translation>Pending upload</translation>
    </message>
    <message>
        <source>被拒收</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>服务器事件</source>
        <translation>Server events</translation>
    </message>
    <message>
        <source>正在对账……</source>
        <translation>Reconciling…</translation>
    </message>
    <message>
        <source>对账未能完成</source>
        <translation>The reconciliation could not be completed</translation>
    </message>
    <message>
        <source>{day} 已日结：{who}</source>
        <translation>{day} closed by {who}</translation>
    </message>
    <message>
        <source>（原因：{reason}）</source>
        <translation> (reason: {reason})</translation>
    </message>
    <message>
        <source>{day} 未日结</source>
        <translation>{day} not closed yet</translation>
    </message>
    <message>
        <source>未能与中心服务器核对：{problem}</source>
        <translation>Could not check against the central server: {problem}</translation>
    </message>
    <message>
        <source>服务器无法连接</source>
        <translation>the server could not be reached</translation>
    </message>
    <message>
        <source>中心数据截至 {time}</source>
        <translation>Center data as of {time}</translation>
    </message>
    <message>
        <source>未与中心核对</source>
        <translation>Not checked with the center</translation>
    </message>
    <message>
        <source>本日办件 {n} 件 · 待上传事件 {unsynced} 个 · 被拒收 {quarantined} 个 · 差异 {diff} 项 · {server}</source>
        <translation>Cases: {n} · Events pending upload: {unsynced} · Refused: {quarantined} · Differences: {diff} · {server}</translation>
    </message>
    <message>
        <source>日结前请处理，或在日结时写明原因：</source>
        <translation>Deal with these before the day close, or give the reason when closing:</translation>
    </message>
    <message>
        <source>编号连续，与中心服务器一致，可以日结。</source>
        <translation>The numbers are continuous and match the central server: the day can be closed.</translation>
    </message>
    <message>
        <source>首个系列</source>
        <translation>First series</translation>
    </message>
    <message>
        <source>恢复后启用的新系列（接续第 {n} 系列，不是缺号）</source>
        <translation>New series started after a restore (follows series {n}; not a gap)</translation>
    </message>
    <message>
        <source>，服务器上有 {n} 个</source>
        <translation>, {n} on the server</translation>
    </message>
    <message>
        <source>缺号 {span}（{n} 个{held}）</source>
        <translation>Gap {span} ({n} missing{held})</translation>
    </message>
    <message>
        <source>连续</source>
        <translation>Continuous</translation>
    </message>
    <message>
        <source>（已清除）</source>
        <translation> (purged)</translation>
    </message>
    <message>
        <source>{day} 已日结。</source>
        <translation>{day} has been closed.</translation>
    </message>
</context>
<context>
    <name>DocumentDesk</name>
    <message>
        <source>正在生成文书……</source>
        <translation>Preparing the documents…</translation>
    </message>
    <message>
        <source>文书已生成，按 Enter 打印，Esc 跳过。</source>
        <translation>Documents ready: Enter prints, Esc skips.</translation>
    </message>
    <message>
        <source>打印文书</source>
        <translation>Print documents</translation>
    </message>
    <message>
        <source>文书已生成，正在保存……</source>
        <translation>Documents drawn; saving them…</translation>
    </message>
    <message>
        <source>已交付{name}：{no}</source>
        <translation>Handed out {name}: {no}</translation>
    </message>
    <message>
        <source>该申请没有可打印的文书。</source>
        <translation>This application has no documents to print.</translation>
    </message>
    <message>
        <source>原件已超过本机保存期限，正在从中心服务器取回原件…</source>
        <translation>The original is past this workstation&apos;s retention period; fetching it from the central server…</translation>
    </message>
    <message>
        <source>未能从中心服务器取回原件：{names}为依据存档记录重新生成的文书（纸面已注明）。</source>
        <translation>Could not fetch the original from the central server: {names} re-rendered from the stored record (marked on the paper).</translation>
    </message>
    <message>
        <source>已从中心服务器取回原件（校验一致）。</source>
        <translation>Original fetched from the central server (checksum matches).</translation>
    </message>
    <message>
        <source>打印文书（补打）</source>
        <translation>Print documents (reprint)</translation>
    </message>
</context>
<context>
    <name>DocumentPreview</name>
    <message>
        <source>补打原因（必填），如“申请人遗失回执”</source>
        <translation>Reason for the reprint (required), e.g. &quot;applicant lost the receipt&quot;</translation>
    </message>
    <message>
        <source>“{chars}”没有可用的字形，已印为“〓”：请在纸上用笔补写。</source>
        <translation>No glyph for &quot;{chars}&quot;: printed as &quot;〓&quot;. Write it in by hand on the paper.</translation>
    </message>
    <message>
        <source>原件已超过本机保存期限，且未能从中心服务器取回：标有“重新生成件”的文书依据存档记录重新生成，纸面上已注明，版式可能与原件不同。能连接中心服务器时补打可得原件。</source>
        <translation>The original is past this workstation&apos;s retention period and could not be fetched from the central server: documents marked “re-rendered copy” were drawn again from the stored record, as the paper says; their layout may differ. Reprint when the central server can be reached to get the original.</translation>
    </message>
    <message>
        <source>打印 (Enter)</source>
        <translation>Print (Enter)</translation>
    </message>
    <message>
        <source>另存为 PDF… ({keys})</source>
        <translation>Save as PDF… ({keys})</translation>
    </message>
    <message>
        <source>不打印 (Esc)</source>
        <translation>Don&apos;t print (Esc)</translation>
    </message>
    <message>
        <source>正在保存文书，保存后即可打印……</source>
        <translation>Saving the documents; you can print as soon as they are saved…</translation>
    </message>
    <message>
        <source>{name}（正在保存）</source>
        <translation>{name} (saving)</translation>
    </message>
    <message>
        <source>{name}（第 {seq} 版）</source>
        <translation>{name} (version {seq})</translation>
    </message>
    <message>
        <source> · 补打</source>
        <translation> · reprint</translation>
    </message>
    <message>
        <source> · 重新生成件</source>
        <translation> · re-rendered copy</translation>
    </message>
    <message>
        <source> · 原件取自中心服务器</source>
        <translation> · original from the central server</translation>
    </message>
    <message>
        <source> · 已交付</source>
        <translation> · handed out</translation>
    </message>
    <message>
        <source>正在打印……</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>另存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>无法保存到 {path}（{reason}）。请换一个位置。</source>
        <translation>Could not save to {path} ({reason}). Choose another place.</translation>
    </message>
    <message>
        <source>已另存为 {path}</source>
        <translation>Saved as {path}</translation>
    </message>
</context>
<context>
    <name>EnrollDialog</name>
    <message>
        <source>注册本工位</source>
        <translation>Enroll this workstation</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>EnrollForm</name>
    <message>
        <source>本工位：{center} {window}（{center_code}-{workstation}）
中心服务器：{url}</source>
        <translation>This workstation: {center} {window} ({center_code}-{workstation})
Central server: {url}</translation>
    </message>
    <message>
        <source>一次性注册码（向信息员索取）</source>
        <translation>One-time enrollment code (ask IT for it)</translation>
    </message>
    <message>
        <source>注册</source>
        <translation>Enroll</translation>
    </message>
    <message>
        <source>请输入信息员给出的注册码。</source>
        <translation>Enter the enrollment code IT gave you.</translation>
    </message>
    <message>
        <source>正在连接中心服务器……</source>
        <translation>Connecting to the central server…</translation>
    </message>
</context>
<context>
    <name>FiguresPage</name>
    <message>
        <source>期间(&amp;D)</source>
        <extracomment>A date changed by typing is read once the typing pauses this long.</extracomment>
        <translation>Perio&amp;d</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>范围(&amp;S)</source>
        <translation>&amp;Scope</translation>
    </message>
    <message>
        <source>本窗口</source>
        <translation>This counter window</translation>
    </message>
    <message>
        <source>全中心</source>
        <translation>Whole center</translation>
    </message>
    <message>
        <source>查询(&amp;Q)</source>
        <translation>Sho&amp;w</translation>
    </message>
    <message>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>导出 XLSX</source>
        <translation>Export XLSX</translation>
    </message>
    <message>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>完整证件号码</source>
        <translation>Full ID numbers</translation>
    </message>
    <message>
        <source>导出的清单中显示完整证件号码（会记入审计日志）；不勾选时只显示脱敏号码</source>
        <translation>Show full ID numbers in the exported lists (recorded in the audit log); when unticked, only masked numbers are shown</translation>
    </message>
    <message>
        <source>导出评价 CSV</source>
        <translation>Export ratings CSV</translation>
    </message>
    <message>
        <source>导出评价 JSON</source>
        <translation>Export ratings JSON</translation>
    </message>
    <message>
        <source>完整电话号码</source>
        <translation>Full phone numbers</translation>
    </message>
    <message>
        <source>导出的评价中显示群众留下的完整电话号码（会记入审计日志）；不勾选时只显示脱敏号码</source>
        <translation>Show the full phone numbers citizens left in the exported ratings (recorded in the audit log); unticked, only masked numbers are shown</translation>
    </message>
    <message>
        <source>导出本工位所选期间的群众评价，以及期间内有回访整改记录的差评</source>
        <translation>Export this workstation&apos;s citizen ratings of the chosen period, and the bad ratings with a follow-up step in it</translation>
    </message>
    <message>
        <source>按时段受理量</source>
        <translation>Cases by hour</translation>
    </message>
    <message>
        <source>按事项受理量</source>
        <translation>Cases by service item</translation>
    </message>
    <message>
        <source>群众评价</source>
        <translation>Citizen ratings</translation>
    </message>
    <message>
        <source>按事项</source>
        <translation>By service item</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service item</translation>
    </message>
    <message>
        <source>件数</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>按首次决定</source>
        <translation>By first decision</translation>
    </message>
    <message>
        <source>决定</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>补正再次来办</source>
        <translation>Return visits with materials</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>次数</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>按经办人</source>
        <translation>By clerk</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>按时段</source>
        <translation>By hour</translation>
    </message>
    <message>
        <source>时段</source>
        <translation>Hour</translation>
    </message>
    <message>
        <source>办理时长（叫号至决定）</source>
        <translation>Handling time (call to decision)</translation>
    </message>
    <message>
        <source>中位数</source>
        <translation>Median</translation>
    </message>
    <message>
        <source>最长</source>
        <translation>Longest</translation>
    </message>
    <message>
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <source>差评及回访</source>
        <translation>Bad ratings and call-backs</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>评价时间</source>
        <translation>Rated</translation>
    </message>
    <message>
        <source>实名/匿名</source>
        <translation>Named/anonymous</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>回访期限</source>
        <translation>Call-back due</translation>
    </message>
    <message>
        <source>整改期限</source>
        <translation>Rectification due</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Alert</translation>
    </message>
    <message>
        <source>办结期限</source>
        <translation>Completion deadlines</translation>
    </message>
    <message>
        <source>承诺办结日</source>
        <translation>Promised by</translation>
    </message>
    <message>
        <source>情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>更正与作废</source>
        <translation>Corrections and voidings</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>上传情况</source>
        <translation>Uploads</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>记录时间</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <source>已等待</source>
        <translation>Waiting for</translation>
    </message>
    <message>
        <source>各窗口</source>
        <translation>Counter windows</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <source>受理件数</source>
        <translation>Applications</translation>
    </message>
    <message>
        <source>上传状态</source>
        <translation>Upload status</translation>
    </message>
    <message>
        <source>日结</source>
        <translation>Day close</translation>
    </message>
    <message>
        <source>正在读取……</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>统计未能读取</source>
        <translation>The figures could not be read</translation>
    </message>
    <message>
        <source>{first} 至 {last}</source>
        <translation>{first} to {last}</translation>
    </message>
    <message>
        <source>全中心 · {period} · 尚未取得中心数据</source>
        <translation>Whole center · {period} · no center data yet</translation>
    </message>
    <message>
        <source>全中心 · {period} · 中心数据截至 {time}</source>
        <translation>Whole center · {period} · center data as of {time}</translation>
    </message>
    <message>
        <source>中心数据可能不是最新的（显示的是 {time} 取得的数据）。{reason}</source>
        <translation>The center data may not be up to date (showing data fetched at {time}). {reason}</translation>
    </message>
    <message>
        <source>本人（{name}）</source>
        <translation>Own cases ({name})</translation>
    </message>
    <message>
        <source>{center} {window}（{code}）· {who} · {period} · 生成于 {time}</source>
        <translation>{center} {window} ({code}) · {who} · {period} · generated at {time}</translation>
    </message>
    <message>
        <source>收件 {n} 件（不含作废），另作废 {voided} 件 · 评价 {rated} 次，满意率 {rate}，评价率 {share} · 差评 {bad} 件 · 超期未办结 {overdue} 件，三个工作日内到期 {soon} 件</source>
        <translation>{n} received (voided not included), {voided} voided · {rated} ratings, satisfaction {rate}, rated {share} · {bad} bad ratings · {overdue} overdue, {soon} due within three working days</translation>
    </message>
    <message>
        <source>导出群众评价</source>
        <translation>Export citizen ratings</translation>
    </message>
    <message>
        <source>满意率 {rate}（非常满意、满意、基本满意占已评价的比例）· 评价率 {share}</source>
        <translation>Satisfaction rate {rate} (Very satisfied, Satisfied and Fairly satisfied as a share of all ratings) · Rating rate {share}</translation>
    </message>
    <message>
        <source>最近成功上传</source>
        <translation>Last successful upload</translation>
    </message>
    <message>
        <source>到期的办件较多，下表只列出最早到期的一部分：超期未办结共 {overdue} 件（列出 {listed_overdue} 件），三个工作日内到期共 {soon} 件（列出 {listed_soon} 件）。</source>
        <translation>Many cases are due, so the table lists the earliest-due ones only: {overdue} overdue in all ({listed_overdue} listed), {soon} due within three working days ({listed_soon} listed).</translation>
    </message>
    <message>
        <source>已超期限</source>
        <translation>Past deadline</translation>
    </message>
    <message>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>三个工作日内到期</source>
        <translation>Due within three working days</translation>
    </message>
    <message>
        <source>日结后更改</source>
        <translation>Changed after day close</translation>
    </message>
    <message>
        <source>群众评价 · 满意率 {rate}</source>
        <translation>Citizen ratings · satisfaction rate {rate}</translation>
    </message>
    <message>
        <source>被拒收</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>待上传</source>
        <translation>Pending upload</translation>
    </message>
    <message>
        <source>最近一次成功上传：{time}</source>
        <translation>Last successful upload: {time}</translation>
    </message>
    <message>
        <source>本窗口还没有成功上传过。</source>
        <translation>This counter window has never uploaded successfully.</translation>
    </message>
    <message>
        <source>全部已上传。</source>
        <translation>Everything is uploaded.</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>已日结 {time}（{who}）</source>
        <translation>Closed {time} ({who})</translation>
    </message>
    <message>
        <source>未日结</source>
        <translation>Not closed</translation>
    </message>
    <message>
        <source>从未成功上传</source>
        <translation>Never uploaded successfully</translation>
    </message>
    <message>
        <source>超过 {n} 分钟未成功上传</source>
        <translation>No successful upload for over {n} min</translation>
    </message>
    <message>
        <source>（{time} 仍连接服务器，数据未被接收）</source>
        <translation>(still reached the server at {time}; its data was not accepted)</translation>
    </message>
    <message>
        <source>已日结 {days}</source>
        <translation>Day closed: {days}</translation>
    </message>
    <message>
        <source>请先查询统计数据，再导出。</source>
        <translation>Show the figures first, then export them.</translation>
    </message>
    <message>
        <source>导出日报</source>
        <translation>Export the daily report</translation>
    </message>
    <message>
        <source>已导出：{name}</source>
        <translation>Exported: {name}</translation>
    </message>
</context>
<context>
    <name>FileViewer</name>
    <message>
        <source>材料文件（只读）</source>
        <translation>Material file (read-only)</translation>
    </message>
    <message>
        <source>正在读取……</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <source>文件无法显示（可能已损坏），原件在中心服务器。</source>
        <translation>The file cannot be shown (it may be damaged); the original is on the central server.</translation>
    </message>
    <message>
        <source>{kind}&#x3000;第 {page} 页，共 {pages} 页</source>
        <translation>{kind}&#x3000;page {page} of {pages}</translation>
    </message>
</context>
<context>
    <name>FirstRunWindow</name>
    <message>
        <source>首次启动 — 一门式社区事务受理台</source>
        <extracomment>The longest display name the form takes (the column holds 100).</extracomment>
        <translation>First start — Yimen community affairs counter</translation>
    </message>
    <message>
        <source>一门式社区事务受理台 · 首次启动</source>
        <translation>Yimen community affairs counter · first start</translation>
    </message>
    <message>
        <source>正在检查本工位……</source>
        <translation>Checking this workstation…</translation>
    </message>
    <message>
        <source>请稍候……</source>
        <translation>Please wait…</translation>
    </message>
    <message>
        <source>本工位还没有在中心服务器注册。请输入信息员给出的一次性注册码。没有网络或没有注册码时，可以以后再注册：本工位可以离线受理，记录在注册后上传。</source>
        <translation>This workstation is not enrolled with the central server yet. Enter the one-time code IT gave you. Without a network or a code, enroll later: the counter works offline, and its records are uploaded once it is enrolled.</translation>
    </message>
    <message>
        <source>以后再注册（离线使用）</source>
        <translation>Enroll later (work offline)</translation>
    </message>
    <message>
        <source>本工位还没有任何账号。请创建第一个系统管理员账号（一般由信息员本人使用），再用它登录并为窗口人员和值班长开设账号。</source>
        <translation>This workstation has no account yet. Create the first administrator account (usually IT&apos;s own), then log in with it and open the accounts of the clerks and supervisors.</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再次输入密码</source>
        <translation>Repeat the password</translation>
    </message>
    <message>
        <source>创建管理员并登录</source>
        <translation>Create the administrator and log in</translation>
    </message>
    <message>
        <source>第 1 步（共 2 步）：在中心服务器注册本工位</source>
        <translation>Step 1 of 2: enroll this workstation with the central server</translation>
    </message>
    <message>
        <source>第 2 步（共 2 步）：创建第一个系统管理员</source>
        <translation>Step 2 of 2: create the first administrator</translation>
    </message>
    <message>
        <source>创建第一个系统管理员</source>
        <translation>Create the first administrator</translation>
    </message>
    <message>
        <source>本工位已在中心服务器注册。</source>
        <translation>This workstation is enrolled with the central server.</translation>
    </message>
    <message>
        <source>本工位暂未注册，可以离线受理；以后可点状态栏的“注册本工位…”，用注册码注册后上传记录。</source>
        <translation>This workstation is not enrolled: it works offline. Enroll later with “Enroll this workstation…” in the status bar and a code; the records are then uploaded.</translation>
    </message>
    <message>
        <source>请填写用户名。</source>
        <translation>Enter a user name.</translation>
    </message>
    <message>
        <source>请填写姓名。</source>
        <translation>Enter the name.</translation>
    </message>
    <message>
        <source>请填写工号。</source>
        <translation>Enter the staff number.</translation>
    </message>
    <message>
        <source>请输入密码。</source>
        <translation>Enter a password.</translation>
    </message>
    <message>
        <source>两次输入的密码不一致，请重新输入。</source>
        <translation>The two passwords differ. Type them again.</translation>
    </message>
    <message>
        <source>正在创建账号……</source>
        <translation>Creating the account…</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <source>差评回访整改 — {no}</source>
        <translation>Bad-rating follow-up — {no}</translation>
    </message>
    <message>
        <source>显示完整电话(&amp;P)</source>
        <translation>Show full &amp;phone number</translation>
    </message>
    <message>
        <source>显示完整号码以便回访（会记入审计日志）</source>
        <translation>Show the full number for the call-back (recorded in the audit log)</translation>
    </message>
    <message>
        <source>已登记</source>
        <translation>Recorded so far</translation>
    </message>
    <message>
        <source>（选择要登记的一步）</source>
        <translation>(choose the step to record)</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>登记(&amp;S)</source>
        <translation>&amp;Step</translation>
    </message>
    <message>
        <source>登记 (Ctrl+Enter)</source>
        <translation>Record (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>{item} · {no} · 经办人 {clerk} · {time}</source>
        <translation>{item} · {no} · clerk {clerk} · {time}</translation>
    </message>
    <message>
        <source>评价：{level}；原因：{reasons}</source>
        <translation>Rating: {level}; reasons: {reasons}</translation>
    </message>
    <message>
        <source>群众意见：{text}</source>
        <translation>Citizen&apos;s comment: {text}</translation>
    </message>
    <message>
        <source>回访期限 {contact}，整改期限 {rectify}。状态：{state}</source>
        <translation>Call-back due {contact}, rectification due {rectify}. Status: {state}</translation>
    </message>
    <message>
        <source>回访电话：{phone}</source>
        <translation>Call-back number: {phone}</translation>
    </message>
    <message>
        <source>匿名评价，没有留电话：直接登记核实、整改措施和办理结果。</source>
        <translation>Anonymous rating with no phone number: record the verification, the rectification measure and the outcome directly.</translation>
    </message>
    <message>
        <source>（还没有登记）</source>
        <translation>(nothing recorded yet)</translation>
    </message>
    <message>
        <source>已登记办理结果，回访整改已办结。</source>
        <translation>The outcome is recorded; the follow-up is completed.</translation>
    </message>
    <message>
        <source>已联系上</source>
        <translation>Reached</translation>
    </message>
    <message>
        <source>未联系上</source>
        <translation>Not reached</translation>
    </message>
    <message>
        <source>未联系上（电话未接通等）</source>
        <translation>Not reached (no answer, etc.)</translation>
    </message>
    <message>
        <source>联系结果</source>
        <translation>Contact result</translation>
    </message>
    <message>
        <source>核实结果</source>
        <translation>Verification</translation>
    </message>
    <message>
        <source>整改措施</source>
        <translation>Rectification measure</translation>
    </message>
    <message>
        <source>办理结果（必填）</source>
        <translation>Outcome (required)</translation>
    </message>
    <message>
        <source>写明整改或解释的结果，以及向群众反馈的情况</source>
        <translation>What was rectified or explained, and what the citizen was told</translation>
    </message>
    <message>
        <source>可不填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>请选择要登记的一步。</source>
        <translation>Choose the step to record.</translation>
    </message>
    <message>
        <source>请选择{what}。</source>
        <translation>Choose “{what}”.</translation>
    </message>
    <message>
        <source>已登记。</source>
        <translation>Recorded.</translation>
    </message>
</context>
<context>
    <name>FollowUpsPage</name>
    <message>
        <source>显示已办结(&amp;C)</source>
        <translation>Show &amp;completed</translation>
    </message>
    <message>
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>登记回访(&amp;O)…</source>
        <translation>Rec&amp;ord follow-up…</translation>
    </message>
    <message>
        <source>选中一行按回车登记回访、核实、整改和办理结果</source>
        <translation>Select a row and press Enter to record the call-back, verification, rectification and outcome</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Alert</translation>
    </message>
    <message>
        <source>回访期限</source>
        <translation>Call-back due</translation>
    </message>
    <message>
        <source>整改期限</source>
        <translation>Rectification due</translation>
    </message>
    <message>
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reasons</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>评价时间</source>
        <translation>Rated</translation>
    </message>
    <message>
        <source>实名/匿名</source>
        <translation>Named/anonymous</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service item</translation>
    </message>
    <message>
        <source>未办结 {open} 件，其中逾期 {overdue} 件。</source>
        <translation>{open} open, {overdue} of them overdue.</translation>
    </message>
    <message>
        <source>没有待回访的差评。</source>
        <translation>No bad ratings awaiting follow-up.</translation>
    </message>
    <message>
        <source>请先选中一条差评。</source>
        <translation>Select a bad rating first.</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <source>窗口操作指南</source>
        <translation>Clerk&apos;s guide</translation>
    </message>
    <message>
        <source>值班长工作指南</source>
        <translation>Supervisor&apos;s guide</translation>
    </message>
    <message>
        <source>找不到操作指南文件（{name}）。请联系信息员重新安装程序。</source>
        <translation>The guide file ({name}) was not found. Ask IT to reinstall the program.</translation>
    </message>
</context>
<context>
    <name>HandoverPage</name>
    <message>
        <source>日期(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>刷新(&amp;F)</source>
        <translation>Re&amp;fresh</translation>
    </message>
    <message>
        <source>承办部门(&amp;B)</source>
        <translation>Ha&amp;ndling department</translation>
    </message>
    <message>
        <source>待移交的办件（勾选要随本单移交的办件）</source>
        <translation>Cases to hand over (tick the cases that go with this list)</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service item</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>移交的材料</source>
        <translation>Materials handed over</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>预览并打印交接单(&amp;P)…</source>
        <translation>&amp;Preview and print the list…</translation>
    </message>
    <message>
        <source>登记交接(&amp;R)…</source>
        <translation>&amp;Record the handover…</translation>
    </message>
    <message>
        <source>已登记的交接单（本日登记的，及移交本日材料的）</source>
        <translation>Recorded lists (recorded this day, or handing over this day&apos;s materials)</translation>
    </message>
    <message>
        <source>交接单编号</source>
        <translation>List no.</translation>
    </message>
    <message>
        <source>接收部门</source>
        <translation>Receiving department</translation>
    </message>
    <message>
        <source>移交人</source>
        <translation>Handed over by</translation>
    </message>
    <message>
        <source>接收人</source>
        <translation>Received by</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>件数</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>重新打印所选交接单(&amp;E)…</source>
        <translation>R&amp;eprint the selected list…</translation>
    </message>
    <message>
        <source>{name}（{n} 件）</source>
        <translation>{name} ({n} cases)</translation>
    </message>
    <message>
        <source>无纸质材料移交（原件已退还或电子证照核验，无需登记）：{numbers}</source>
        <translation>No paper to hand over (originals returned or e-licence checked; nothing to record): {numbers}</translation>
    </message>
    <message>
        <source>补交材料</source>
        <translation>Materials brought later</translation>
    </message>
    <message>
        <source>待补交 {n} 项</source>
        <translation>{n} still owed</translation>
    </message>
    <message>
        <source>本日没有需要移交后台的纸质材料。</source>
        <translation>No paper of this day needs to go to the back office.</translation>
    </message>
    <message>
        <source>本单{totals}。</source>
        <translation>This list: {totals}.</translation>
    </message>
    <message>
        <source>保存材料交接单</source>
        <translation>Save the materials handover list</translation>
    </message>
    <message>
        <source>已保存材料交接单：{name}</source>
        <translation>Materials handover list saved: {name}</translation>
    </message>
    <message>
        <source>材料交接单 — {name}</source>
        <translation>Materials handover list — {name}</translation>
    </message>
    <message>
        <source>已登记交接单 {number}（{n} 件），请打印带编号的交接单签字。</source>
        <translation>Handover list {number} recorded ({n} cases); print the numbered list for the signatures.</translation>
    </message>
</context>
<context>
    <name>Identity</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>18 位身份号码</source>
        <translation>18-character ID number</translation>
    </message>
    <message>
        <source>已核实</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>已与证件原件核对，确认号码无误</source>
        <translation>Checked against the original card: the number is right</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>手机或带区号的固定电话</source>
        <translation>Mobile, or landline with area code</translation>
    </message>
</context>
<context>
    <name>IntakePanel</name>
    <message>
        <source>叫号号码</source>
        <extracomment>A decision asked for while files were on their way to the store: taken once they are kept.</extracomment>
        <translation>Queue ticket</translation>
    </message>
    <message>
        <source>如 A023</source>
        <translation>e.g. A023</translation>
    </message>
    <message>
        <source>叫号 ({keys})</source>
        <translation>Call ({keys})</translation>
    </message>
    <message>
        <source>请先选择事项</source>
        <translation>Choose a service item first</translation>
    </message>
    <message>
        <source>以上提示已核实</source>
        <translation>The notes above have been checked</translation>
    </message>
    <message>
        <source>已核实，仍新建申请</source>
        <translation>Checked: take a new application anyway</translation>
    </message>
    <message>
        <source>决定</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>不予受理理由</source>
        <translation>Reason for refusal</translation>
    </message>
    <message>
        <source>不属于本机关职权范围</source>
        <extracomment>A refusal&apos;s grounds (the core&apos;s ``RefusalGround``), in the order the drop-down lists them.
----------
A refusal&apos;s ground as the record shows it (the intake panel&apos;s words, context ``IntakePanel``).</extracomment>
        <translation>Not within this office&apos;s competence</translation>
    </message>
    <message>
        <source>不符合申请条件</source>
        <translation>Does not meet the conditions</translation>
    </message>
    <message>
        <source>依法无需申请</source>
        <translation>No application is needed by law</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>不予受理理由类别</source>
        <translation>Ground of refusal</translation>
    </message>
    <message>
        <source>应向哪个机关申请（如 徐汇区民政局），必填</source>
        <translation>The office to apply to (e.g. 徐汇区民政局), required</translation>
    </message>
    <message>
        <source>依据：文件名称和条款，如《社会救助暂行办法》第十一条</source>
        <translation>Basis: the document and article, e.g. 《社会救助暂行办法》第十一条</translation>
    </message>
    <message>
        <source>不予受理时必填：写明不符合哪项条件、依据什么</source>
        <translation>Required for a refusal: which condition is not met, and on what basis</translation>
    </message>
    <message>
        <source>先行救助原因</source>
        <translation>Reason for help first</translation>
    </message>
    <message>
        <source>先行救助时必填：如 住房失火、突发事故，生活无着</source>
        <translation>Required for help first: e.g. a house fire or an accident leaving the family without means</translation>
    </message>
    <message>
        <source>容缺受理：仅缺少{materials}时受理，申请人签署承诺书，{days} 个工作日内补交。依据：{basis}</source>
        <translation>Accept with materials owed (容缺受理): only {materials} missing; the applicant signs a written commitment to bring them within {days} working days. Basis: {basis}</translation>
    </message>
    <message>
        <source>先行救助：急难情形先行救助，{materials}可在 {days} 个工作日内补交；须写明先行救助原因。依据：{basis}</source>
        <translation>Help first (先行救助): in an emergency help is given first, {materials} may follow within {days} working days; give the reason. Basis: {basis}</translation>
    </message>
    <message>
        <source>申请信息</source>
        <translation>Application details</translation>
    </message>
    <message>
        <source>答复并打印答复单</source>
        <translation>Answer and print the answer slip</translation>
    </message>
    <message>
        <source>咨询类事项不作受理决定。</source>
        <translation>Consultation items take no decision.</translation>
    </message>
    <message>
        <source>叫号时间 {time}</source>
        <translation>Called at {time}</translation>
    </message>
    <message>
        <source>注意：该申请人已有同一事项的在办申请，请核实是否重复申请：</source>
        <translation>Note: this applicant already has an open application for this item; check it is not a duplicate:</translation>
    </message>
    <message>
        <source>该证件号码没有既往申请。</source>
        <translation>No earlier applications for this ID number.</translation>
    </message>
    <message>
        <source>既往申请 {n} 条：</source>
        <translation>{n} earlier applications:</translation>
    </message>
    <message>
        <source>……（在“今日/查询”中按证件号码查看全部）</source>
        <translation>… (search the ID number under “Today/Search” to see all)</translation>
    </message>
    <message>
        <source>请先选择事项。</source>
        <translation>Choose a service item first.</translation>
    </message>
    <message>
        <source>正在保存材料文件，保存完即继续……</source>
        <translation>Saving the material files; the decision follows once they are saved…</translation>
    </message>
    <message>
        <source>已答复：{applicant}&#x3000;{item}
办件编号 {no}</source>
        <translation>Answered: {applicant}&#x3000;{item}
Case no. {no}</translation>
    </message>
    <message>
        <source>已{decision}：{applicant}&#x3000;{item}
受理编号 {no}</source>
        <translation>{decision}: {applicant}&#x3000;{item}
Acceptance no. {no}</translation>
    </message>
    <message>
        <source>（估算）</source>
        <translation> (estimated)</translation>
    </message>
    <message>
        <source>&#x3000;承诺办结日 {date}</source>
        <translation>&#x3000;promised by {date}</translation>
    </message>
    <message>
        <source>须补交：{materials}&#x3000;补交期限 {date}</source>
        <translation>Owed: {materials}&#x3000;due {date}</translation>
    </message>
    <message>
        <source>已出具{decision}：{applicant}&#x3000;{item}
办件编号 {no}&#x3000;文书编号 {notice}</source>
        <translation>Issued {decision}: {applicant}&#x3000;{item}
Case no. {no}&#x3000;document no. {notice}</translation>
    </message>
    <message>
        <source>须补正：{materials}</source>
        <translation>To supply: {materials}</translation>
    </message>
</context>
<context>
    <name>ItemPicker</name>
    <message>
        <source>事项</source>
        <translation>Service item</translation>
    </message>
    <message>
        <source>名称、编码或拼音首字母</source>
        <translation>Name, code or pinyin initials</translation>
    </message>
    <message>
        <source>如“低保”、“MZ-SHJZ”、“dbsq”；回车选第一个，↓ 进入列表</source>
        <translation>e.g. “低保”, “MZ-SHJZ”, “dbsq”; Enter takes the first, ↓ enters the list</translation>
    </message>
    <message>
        <source>没有符合的事项。</source>
        <translation>No matching item.</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>受理窗口已锁定</source>
        <translation>The counter window is locked</translation>
    </message>
    <message>
        <source>经办人：{name}（{staff}）</source>
        <translation>Clerk: {name} ({staff})</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>值班长结束此登录（窗口人员的未保存内容保留到其再次登录）</source>
        <translation>A supervisor ends this session (the clerk&apos;s unsaved work is kept for their next login)</translation>
    </message>
    <message>
        <source>值班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <source>值班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <source>结束登录</source>
        <translation>End session</translation>
    </message>
    <message>
        <source>请输入密码。</source>
        <translation>Enter your password.</translation>
    </message>
    <message>
        <source>请输入值班长的用户名和密码。</source>
        <translation>Enter the supervisor&apos;s user name and password.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>设置新密码并登录</source>
        <translation>Set the new password and log in</translation>
    </message>
    <message>
        <source>这是临时密码。请设置自己的新密码（至少 8 个字符）后继续。</source>
        <translation>This is a temporary password. Set your own new password (at least 8 characters) to continue.</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致，请重新输入。</source>
        <translation>The two new passwords differ. Please enter them again.</translation>
    </message>
    <message>
        <source>一门式社区事务受理台</source>
        <translation>Yimen community affairs counter</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>演示模式：账号 {names}，密码 {password}</source>
        <translation>Demo mode: users {names}, password {password}</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>登录 — 一门式社区事务受理台</source>
        <translation>Log in — Yimen community affairs counter</translation>
    </message>
    <message>
        <source>请输入用户名。</source>
        <translation>Enter your user name.</translation>
    </message>
    <message>
        <source>请输入密码。</source>
        <translation>Enter your password.</translation>
    </message>
    <message>
        <source>正在打开数据库，请稍候…</source>
        <translation>Opening the database, please wait…</translation>
    </message>
    <message>
        <source>正在登录……</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>受理 ({keys})</source>
        <translation>Intake ({keys})</translation>
    </message>
    <message>
        <source>今日/查询 ({keys})</source>
        <translation>Today/Search ({keys})</translation>
    </message>
    <message>
        <source>经办人：{name}（{staff}）</source>
        <translation>Clerk: {name} ({staff})</translation>
    </message>
    <message>
        <source>事项目录有 {n} 个问题</source>
        <translation>Catalog: {n} problems</translation>
    </message>
    <message>
        <source>事项目录的问题</source>
        <translation>Problems in the service catalog</translation>
    </message>
    <message>
        <source>受理不受影响：有问题的事项文件仍使用上一个正确的版本。请通知信息员修正。</source>
        <translation>Intake is not affected: items with a broken file keep their last good version. Please tell IT.</translation>
    </message>
    <message>
        <source>账号(&amp;A)</source>
        <translation>&amp;Accounts</translation>
    </message>
    <message>
        <source>{center} {window} — 一门式社区事务受理台</source>
        <translation>{center} {window} — Yimen community affairs counter</translation>
    </message>
    <message>
        <source>重置密码(&amp;R)…</source>
        <translation>&amp;Reset password…</translation>
    </message>
    <message>
        <source>值班长 ({keys})</source>
        <translation>Supervisor ({keys})</translation>
    </message>
    <message>
        <source>我的统计 ({keys})</source>
        <translation>My figures ({keys})</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>使用说明(&amp;G)</source>
        <translation>&amp;Guide</translation>
    </message>
    <message>
        <source>关于(&amp;A)…</source>
        <translation>&amp;About…</translation>
    </message>
</context>
<context>
    <name>MaterialsPanel</name>
    <message>
        <source>材料</source>
        <extracomment>The widget in the message&apos;s column: the message, or the files and the message. The widget in the name&apos;s column: the name, or the name over the files&apos; thumbnails.</extracomment>
        <translation>Materials</translation>
    </message>
    <message>
        <source>空格：齐全/缺少&#x3000;1 齐全&#x3000;2 缺少&#x3000;3 不合格（须写说明）&#x3000;4 电子证照核验&#x3000;+/− 复印件份数</source>
        <translation>Space: present/missing&#x3000;1 present&#x3000;2 missing&#x3000;3 defective (note required)&#x3000;4 e-licence checked&#x3000;+/− copies</translation>
    </message>
    <message>
        <source>附加到当前材料</source>
        <translation>Attach to current material</translation>
    </message>
    <message>
        <source>选择事项后显示材料清单。</source>
        <translation>The checklist appears once an item is chosen.</translation>
    </message>
    <message>
        <source>本事项没有需要核验的材料。</source>
        <extracomment>The line the scans go to: the one whose status box or note has (or last had) the cursor.</extracomment>
        <translation>This item needs no materials.</translation>
    </message>
    <message>
        <source>新扫描件 1 个：{name} — 按 {keys} 附加到当前材料</source>
        <translation>1 new scan: {name} — press {keys} to attach it to the current material</translation>
    </message>
    <message>
        <source>新扫描件 {n} 个：{name} 等 — 按 {keys} 附加到当前材料</source>
        <translation>{n} new scans: {name} and others — press {keys} to attach them to the current material</translation>
    </message>
    <message>
        <source>扫描文件夹中没有新扫描件：请先扫描，稍候片刻再附加。</source>
        <translation>No new scans in the scan folder: scan first, then wait a moment before attaching.</translation>
    </message>
    <message>
        <source>请先选中一条材料，再附加扫描件。</source>
        <translation>Select a material line first, then attach the scans.</translation>
    </message>
    <message>
        <source>扫描件 {names} 已附加，但无法从扫描文件夹删除：其中有个人信息，请立即手动删除。</source>
        <translation>Scans {names} were attached but could not be deleted from the scan folder: they hold personal data, delete them by hand now.</translation>
    </message>
    <message>
        <source>已将 {n} 个扫描件附加到当前材料。</source>
        <translation>{n} scans attached to the current material.</translation>
    </message>
</context>
<context>
    <name>MessageDisplay</name>
    <message>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
</context>
<context>
    <name>MyFiguresPage</name>
    <message>
        <source>我的统计(&amp;G)</source>
        <translation>My fi&amp;gures</translation>
    </message>
    <message>
        <source>材料交接(&amp;X)</source>
        <translation>Materials hando&amp;ver</translation>
    </message>
</context>
<context>
    <name>PartyPanel</name>
    <message>
        <source>{role}（如有）</source>
        <translation>{role} (if any)</translation>
    </message>
</context>
<context>
    <name>PartyRow</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
</context>
<context>
    <name>PartyTable</name>
    <message>
        <source>（无。按“添加”录入一位成员。）</source>
        <translation>(None. Press “Add” to enter a member.)</translation>
    </message>
    <message>
        <source>添加成员 ({keys})</source>
        <translation>Add member ({keys})</translation>
    </message>
    <message>
        <source>删除当前成员 ({keys})</source>
        <translation>Remove this member ({keys})</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>最多 {n} 名{role}。</source>
        <translation>At most {n} × {role}.</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>记录时间</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>已尝试</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>Rater</name>
    <message>
        <source>请对本次服务作出评价</source>
        <extracomment>The rater as a window on the counter&apos;s screen (at most the screen&apos;s available area). Colours of the five levels (green to red), for the selected button.</extracomment>
        <translation>Rate our service</translation>
    </message>
    <message>
        <source>请您对本次服务作出评价</source>
        <translation>Please rate the service you received</translation>
    </message>
    <message>
        <source>请选择不满意的原因（可多选）</source>
        <translation>What were you dissatisfied with? (choose one or more)</translation>
    </message>
    <message>
        <source>匿名评价</source>
        <translation>Rate anonymously</translation>
    </message>
    <message>
        <source>实名评价（留电话，便于回访）</source>
        <translation>Rate with my name (leave a phone number for a call-back)</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <source>手机号码或固定电话</source>
        <translation>Mobile or landline number</translation>
    </message>
    <message>
        <source>意见和建议（可不填）</source>
        <translation>Comments and suggestions (optional)</translation>
    </message>
    <message>
        <source>跳过（不评价）</source>
        <translation>Skip (no rating)</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <source>感谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <source>补正材料：{item}</source>
        <translation>Materials supplied for: {item}</translation>
    </message>
    <message>
        <source>办理事项：{item}</source>
        <translation>Service: {item}</translation>
    </message>
    <message>
        <source>经办人：{name}（工号 {staff}）</source>
        <translation>Served by: {name} (staff no. {staff})</translation>
    </message>
    <message>
        <source>请点选一个评价等级。</source>
        <translation>Please choose a rating.</translation>
    </message>
    <message>
        <source>请至少选择一项不满意的原因。</source>
        <translation>Please choose at least one reason.</translation>
    </message>
    <message>
        <source>实名评价请留下联系电话；不想留电话请选“匿名评价”。</source>
        <translation>For a named rating, please leave a phone number; if you prefer not to, choose “Rate anonymously”.</translation>
    </message>
</context>
<context>
    <name>RatingDesk</name>
    <message>
        <source>等待群众评价…</source>
        <extracomment>A rater nobody touches for this long records 未评价 (the citizen has gone). How long the thanks stay on screen after a rating is stored.</extracomment>
        <translation>Waiting for the citizen&apos;s rating…</translation>
    </message>
    <message>
        <source>群众正在评价本次服务；点击把评价窗口调到前面</source>
        <translation>The citizen is rating this service; click to bring the rating window to the front</translation>
    </message>
    <message>
        <source>群众评价已记录：{no} {level}</source>
        <translation>Citizen rating recorded: {no} {level}</translation>
    </message>
    <message>
        <source>本次服务未评价：{no}</source>
        <translation>Not rated: {no}</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>申请记录 {no}</source>
        <translation>Application {no}</translation>
    </message>
    <message>
        <source>正在读取……</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>补正收件：勾选申请人本次补交的材料</source>
        <translation>Return visit: tick the materials brought now</translation>
    </message>
    <message>
        <source>补交齐全，受理 (Ctrl+1)</source>
        <translation>Complete: accept (Ctrl+1)</translation>
    </message>
    <message>
        <source>更正 (Ctrl+E)</source>
        <translation>Correct (Ctrl+E)</translation>
    </message>
    <message>
        <source>作废 (Ctrl+D)</source>
        <translation>Void (Ctrl+D)</translation>
    </message>
    <message>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>记录所用的事项版本已不在本机目录中，无法在此更正。</source>
        <translation>The item version of this record is no longer in this workstation&apos;s catalog; it cannot be corrected here.</translation>
    </message>
    <message>
        <source>{state}（{reason}）</source>
        <translation>{state} ({reason})</translation>
    </message>
    <message>
        <source>上传：{state}</source>
        <translation>Upload: {state}</translation>
    </message>
    <message>
        <source>（{time}）</source>
        <translation> ({time})</translation>
    </message>
    <message>
        <source>&#x3000;说明：{note}</source>
        <translation>  Note: {note}</translation>
    </message>
    <message>
        <source>办理进度：{status}</source>
        <translation>Progress: {status}</translation>
    </message>
    <message>
        <source>重新签名 (Ctrl+G)</source>
        <translation>Sign again (Ctrl+G)</translation>
    </message>
    <message>
        <source>办件信息</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>受理编号</source>
        <translation>Acceptance no.</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>查询码</source>
        <translation>Query code</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service item</translation>
    </message>
    <message>
        <source>{name}（{code} 第 {version} 版）</source>
        <translation>{name} ({code}, version {version})</translation>
    </message>
    <message>
        <source>收件时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>决定</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>决定时间</source>
        <translation>Decided</translation>
    </message>
    <message>
        <source>文书编号</source>
        <translation>Notice no.</translation>
    </message>
    <message>
        <source>不予受理理由</source>
        <translation>Reason for refusal</translation>
    </message>
    <message>
        <source>理由类别</source>
        <translation>Ground</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>有权机关</source>
        <translation>Competent office</translation>
    </message>
    <message>
        <source>先行救助原因</source>
        <translation>Reason for help first</translation>
    </message>
    <message>
        <source>（估算）</source>
        <translation> (estimated)</translation>
    </message>
    <message>
        <source>承诺办结日</source>
        <translation>Promised by</translation>
    </message>
    <message>
        <source>须补交材料</source>
        <translation>Materials owed</translation>
    </message>
    <message>
        <source>补交期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>叫号号码</source>
        <translation>Queue ticket</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>申请信息</source>
        <translation>Application details</translation>
    </message>
    <message>
        <source>签名</source>
        <translation>Signatures</translation>
    </message>
    <message>
        <source>已在签名板上签名（{when}）</source>
        <translation>Signed on the signature pad ({when})</translation>
    </message>
    <message>
        <source>；签名早于此后的更正，签名时的内容与现在不同</source>
        <translation>; the signature predates a later correction: what was signed differs from the current content</translation>
    </message>
    <message>
        <source>，本事项更正后须重新签名</source>
        <translation>, and this item needs a new signature after a correction</translation>
    </message>
    <message>
        <source>材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <source>补交材料：勾选申请人本次带来的材料（补交期限 {date}）</source>
        <translation>Owed materials: tick what the applicant brought this time (due {date})</translation>
    </message>
    <message>
        <source>记录补交 (Ctrl+1)</source>
        <translation>Record materials brought (Ctrl+1)</translation>
    </message>
    <message>
        <source>已记录补交：办件编号 {no}，仍须补交 {materials}</source>
        <translation>Materials brought recorded: case no. {no}; still owed: {materials}</translation>
    </message>
    <message>
        <source>承诺补交的材料已收齐：受理编号 {no}</source>
        <translation>All promised materials brought: acceptance no. {no}</translation>
    </message>
    <message>
        <source>已保存签名：办件编号 {no}</source>
        <translation>Signature saved: case {no}</translation>
    </message>
    <message>
        <source>已作废：办件编号 {no}</source>
        <translation>Voided: case no. {no}</translation>
    </message>
    <message>
        <source>已更正：办件编号 {no}</source>
        <translation>Corrected: case no. {no}</translation>
    </message>
    <message>
        <source>补正材料已收齐，已受理：受理编号 {no}</source>
        <translation>Materials complete, accepted: acceptance no. {no}</translation>
    </message>
    <message>
        <source>&#x3000;承诺办结日 {date}</source>
        <translation>&#x3000;promised by {date}</translation>
    </message>
    <message>
        <source>作废 {no}</source>
        <translation>Void {no}</translation>
    </message>
    <message>
        <source>更正 {no}</source>
        <translation>Correct {no}</translation>
    </message>
    <message>
        <source>登记交接</source>
        <translation>Record the handover</translation>
    </message>
    <message>
        <source>以下 {n} 件办件的纸质材料登记为已移交，登记后不再出现在待移交清单中：
{numbers}</source>
        <translation>The paper of these {n} cases will be recorded as handed over and will leave the list of cases to hand over:
{numbers}</translation>
    </message>
    <message>
        <source>接收人姓名（可不填，以签字为准）</source>
        <translation>Receiver&apos;s name (optional; the signature counts)</translation>
    </message>
    <message>
        <source>接收部门(&amp;B)</source>
        <translation>Receiving de&amp;partment</translation>
    </message>
    <message>
        <source>接收人(&amp;N)</source>
        <translation>Receiver&apos;s &amp;name</translation>
    </message>
    <message>
        <source>移交人</source>
        <translation>Handed over by</translation>
    </message>
    <message>
        <source>确认登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReportView</name>
    <message>
        <source>日报 — {name}</source>
        <translation>Daily report — {name}</translation>
    </message>
    <message>
        <source>已保存到：{path}</source>
        <translation>Saved to: {path}</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>为本工位的账号设置临时密码：该账号下次登录时须先设置自己的密码。重置同时解除锁定，并记入审计记录。</source>
        <translation>Give an account of this workstation a temporary password: at its next login the account must first set its own password. A reset also ends a lock-out and is recorded in the audit trail.</translation>
    </message>
    <message>
        <source>临时密码</source>
        <translation>Temporary password</translation>
    </message>
    <message>
        <source>由系统生成（重置后只显示一次）</source>
        <translation>Generate one (shown once, after the reset)</translation>
    </message>
    <message>
        <source>再次输入</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>{name}（{staff}）的密码</source>
        <translation>Password of {name} ({staff})</translation>
    </message>
    <message>
        <source>请当面交给该账号本人，不要通过电话、短信或聊天软件转告。此密码只显示这一次，关闭本窗口后无法再查看。</source>
        <translation>Hand it to the account&apos;s owner in person, never by phone, text message or chat. This password is shown only this once and cannot be seen again once this window is closed.</translation>
    </message>
    <message>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>没有您可以重置密码的账号。</source>
        <translation>There is no account whose password you may reset.</translation>
    </message>
    <message>
        <source>由系统生成</source>
        <translation>Generated</translation>
    </message>
    <message>
        <source>请先在列表中选择账号。</source>
        <translation>Choose an account in the list first.</translation>
    </message>
    <message>
        <source>请输入临时密码，或选择由系统生成。</source>
        <translation>Enter a temporary password, or have one generated.</translation>
    </message>
    <message>
        <source>两次输入的临时密码不一致，请重新输入。</source>
        <translation>The two temporary passwords differ. Please enter them again.</translation>
    </message>
    <message>
        <source>请输入您自己的密码以确认。</source>
        <translation>Enter your own password to confirm.</translation>
    </message>
    <message>
        <source>已为 {name}（{staff}，用户名 {username}）设置临时密码。该账号下次登录时须先设置自己的密码。</source>
        <translation>{name} ({staff}, user name {username}) has a temporary password now. At the next login the account must first set its own password.</translation>
    </message>
</context>
<context>
    <name>ScanFolder</name>
    <message>
        <source>扫描文件夹 {folder} 不存在或无法读取：请 IT 检查部署文件中的 [materials] watch_folder。</source>
        <extracomment>How long a file&apos;s size and time must stay the same before it counts as written whole. How often a file still settling is looked at again. How often the whole folder is read again (a network share the watcher does not see; a folder made later). Seconds, monotonic (tests move it by hand). Files still being written: name → (size, mtime_ns, when they last changed). Files not to offer again while they stay as they are: name → (size, mtime_ns).</extracomment>
        <translation>The scan folder {folder} does not exist or cannot be read: ask IT to check [materials] watch_folder in the deployment file.</translation>
    </message>
</context>
<context>
    <name>Section</name>
    <message>
        <source>无</source>
        <extracomment>The text mark of an alert row (besides its colour): screen readers and colour-blind eyes get it too.</extracomment>
        <translation>None</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <source>请签名</source>
        <extracomment>x, y (pad pixels), t (ms since the signature&apos;s first point), pressure (0-1) Pressure recorded for a device that reports none (a mouse; a finger on most touch screens). The pen&apos;s width in pad pixels at full pressure; the PNG is drawn at twice the pad&apos;s resolution.</extracomment>
        <translation>Please sign</translation>
    </message>
    <message>
        <source>请在框内签名。确认签名按 Enter，清除按 Delete，撤销一笔按 Ctrl+Z，改用纸质签名按 Esc。</source>
        <translation>Sign inside the box. Enter confirms, Delete clears, Ctrl+Z takes the last stroke back, Esc signs on paper instead.</translation>
    </message>
    <message>
        <source>清除(&amp;C)</source>
        <translation>&amp;Clear</translation>
    </message>
    <message>
        <source>撤销一笔(&amp;U)</source>
        <translation>&amp;Undo stroke</translation>
    </message>
    <message>
        <source>纸质签名(&amp;P)</source>
        <translation>Sign on &amp;paper</translation>
    </message>
    <message>
        <source>确认签名(&amp;Q)</source>
        <translation>Confirm signature (&amp;Q)</translation>
    </message>
    <message>
        <source>{role}{name}请签名{step}</source>
        <translation>{role} {name}, please sign{step}</translation>
    </message>
    <message>
        <source>签名框内还没有笔迹：请签名后再确认，或按 Esc 改用纸质签名。</source>
        <translation>Nothing signed yet: sign, then confirm, or press Esc to sign on paper.</translation>
    </message>
</context>
<context>
    <name>SupervisorPage</name>
    <message>
        <source>概况与统计(&amp;G)</source>
        <extracomment>The guide F1 opens on this tab (docs/guide-supervisor.md; ui.guide reads ``guide_name``).</extracomment>
        <translation>Overview and fi&amp;gures</translation>
    </message>
    <message>
        <source>差评回访(&amp;H)</source>
        <translation>&amp;Bad-rating follow-up</translation>
    </message>
    <message>
        <source>对账与日结(&amp;Z)</source>
        <translation>Reconciliation and da&amp;y close</translation>
    </message>
    <message>
        <source>材料交接(&amp;X)</source>
        <translation>Materials hando&amp;ver</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <source>上传队列</source>
        <translation>Upload queue</translation>
    </message>
    <message>
        <source>正在读取……</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>被拒收的记录须由信息员查明原因后再重试。“立即重试”把所选的被拒收记录（未选时为全部）重新排队，并立即连接中心服务器。</source>
        <translation>Refused records should be retried only after IT has found the cause. &quot;Retry now&quot; puts the selected refused records (all of them when none is selected) back in the queue and connects to the central server at once.</translation>
    </message>
    <message>
        <source>注册本工位…</source>
        <translation>Enroll this workstation…</translation>
    </message>
    <message>
        <source>立即重试</source>
        <translation>Retry now</translation>
    </message>
    <message>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>待上传 {pending} 条，被拒收 {quarantined} 条。</source>
        <translation>{pending} to upload, {quarantined} refused.</translation>
    </message>
    <message>
        <source>本工位未配置中心服务器，记录只保存在本机。</source>
        <translation>No central server is configured for this workstation: records are kept on this computer only.</translation>
    </message>
    <message>
        <source>上次同步成功：{time}</source>
        <translation>Last successful sync: {time}</translation>
    </message>
    <message>
        <source>上次尝试：{time}</source>
        <translation>Last attempt: {time}</translation>
    </message>
    <message>
        <source>最近的问题：{error}</source>
        <translation>Latest problem: {error}</translation>
    </message>
    <message>
        <source>已将 {n} 条被拒收的记录重新排队，正在上传。</source>
        <translation>{n} refused record(s) put back in the queue; uploading.</translation>
    </message>
    <message>
        <source>正在连接中心服务器……</source>
        <translation>Connecting to the central server…</translation>
    </message>
</context>
<context>
    <name>SyncStateLabel</name>
    <message>
        <source>离线</source>
        <extracomment>Who is told that an update is due (everyone is told when this build is below the server&apos;s minimum).</extracomment>
        <translation>Offline</translation>
    </message>
    <message>
        <source>尚未连接中心服务器：记录保存在本机，联网后上传。</source>
        <translation>Not connected to the central server: records are kept here and uploaded when online.</translation>
    </message>
    <message>
        <source>本工位未配置中心服务器：记录保存在本机。</source>
        <translation>No central server is configured for this workstation: records are kept on this computer.</translation>
    </message>
    <message>
        <source>待上传 {n}</source>
        <translation>To upload: {n}</translation>
    </message>
    <message>
        <source>中心服务器繁忙，稍后自动上传</source>
        <translation>Central server busy; will upload automatically later</translation>
    </message>
    <message>
        <source>被拒收 {n}</source>
        <translation>Refused: {n}</translation>
    </message>
    <message>
        <source>上次同步 {time}</source>
        <translation>Last sync {time}</translation>
    </message>
    <message>
        <source>中心服务器繁忙，本工位的记录已保存在本机，稍后自动上传，无需操作。</source>
        <translation>The central server is busy. This workstation&apos;s records are saved on this machine and will be uploaded automatically later; nothing to do.</translation>
    </message>
    <message>
        <source>点击或按 {keys} 查看上传队列。</source>
        <translation>Click or press {keys} for the upload queue.</translation>
    </message>
    <message>
        <source>凭证已吊销</source>
        <translation>Credential revoked</translation>
    </message>
    <message>
        <source>未注册</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>须升级</source>
        <translation>Upgrade needed</translation>
    </message>
</context>
<context>
    <name>SyncStatusArea</name>
    <message>
        <source>本机时钟不准</source>
        <translation>Clock is off</translation>
    </message>
    <message>
        <source>注册本工位…</source>
        <translation>Enroll this workstation…</translation>
    </message>
    <message>
        <source>本工位已在中心服务器注册，开始上传记录。</source>
        <translation>This workstation is enrolled with the central server; uploading records now.</translation>
    </message>
    <message>
        <source>本工位程序版本过旧，已停止同步，请联系信息员升级到 {version}</source>
        <translation>This program version is too old and sync has stopped: ask IT to upgrade to {version}</translation>
    </message>
    <message>
        <source>中心服务器要求至少 {minimum}，本机是 {current}。记录都保存在本机，升级后自动上传。</source>
        <translation>The central server requires at least {minimum}; this machine runs {current}. Every record is kept on this machine and uploaded after the upgrade.</translation>
    </message>
    <message>
        <source>有新版本 {version}，请联系信息员升级</source>
        <translation>New version {version}: ask IT to upgrade</translation>
    </message>
    <message>
        <source>本机是 {current}。</source>
        <translation>This machine runs {current}.</translation>
    </message>
</context>
<context>
    <name>accounts</name>
    <message>
        <source>只有值班长可以结束他人的登录，{role}账号不能。</source>
        <translation>Only a supervisor can end another user&apos;s session; a {role} account cannot.</translation>
    </message>
    <message>
        <source>不能结束自己的登录；请输入自己的密码解锁。</source>
        <translation>You cannot end your own session; unlock it with your own password.</translation>
    </message>
    <message>
        <source>密码至少需要 {n} 个字符。</source>
        <translation>The password needs at least {n} characters.</translation>
    </message>
    <message>
        <source>用户名“{u}”已存在或为空。</source>
        <translation>The user name “{u}” exists already or is empty.</translation>
    </message>
    <message>
        <source>“{name}”不是值班长账号，不能批准此操作。</source>
        <translation>“{name}” is not a supervisor and cannot approve this.</translation>
    </message>
    <message>
        <source>新密码不能与原密码相同。</source>
        <translation>The new password must differ from the old one.</translation>
    </message>
    <message>
        <source>不能重置自己的密码；请在登录后修改密码。</source>
        <extracomment>The password hash of an account a recovery from the server made for a clerk its records name (app/sync/rebuild.py): no password verifies against it, it counts as no account for the first admin, and creating an account of that user name takes it over, so the recovered records keep their clerk.</extracomment>
        <translation>You cannot reset your own password; change it once logged in.</translation>
    </message>
    <message>
        <source>值班长只能重置窗口人员的密码；其他账号请找系统管理员。</source>
        <translation>A supervisor can reset clerks&apos; passwords only; for other accounts ask the system administrator.</translation>
    </message>
    <message>
        <source>已有账号时，系统管理员账号只能由现有系统管理员创建：请用 --by 指定管理员账号。</source>
        <translation>Once accounts exist, an administrator account can only be created by an existing administrator: name that administrator with --by.</translation>
    </message>
    <message>
        <source>重置密码须由本人输入自己的密码确认。</source>
        <translation>A password reset must be confirmed with your own password.</translation>
    </message>
    <message>
        <source>用户名或密码不正确，请重新输入。连续输错 {n} 次的账号将锁定 {minutes} 分钟，锁定期间无法登录。</source>
        <translation>Wrong user name or password. Please try again. After {n} wrong passwords in a row an account is locked for {minutes} minutes and cannot log in meanwhile.</translation>
    </message>
    <message>
        <source>没有名为“{name}”的在用账号。</source>
        <translation>There is no active account named “{name}”.</translation>
    </message>
    <message>
        <source>请填写姓名。</source>
        <translation>Enter the name.</translation>
    </message>
    <message>
        <source>请填写工号。</source>
        <translation>Enter the staff number.</translation>
    </message>
    <message>
        <source>本工位已有账号，第一个系统管理员已经创建。请用已有账号登录。</source>
        <translation>This workstation has accounts already: the first administrator was created. Log in with an existing account.</translation>
    </message>
</context>
<context>
    <name>attachments</name>
    <message>
        <source>只能附加 JPEG、PNG 图片或 PDF 文件：请在扫描软件中另存为这几种格式后再附加。</source>
        <extracomment>A file no case names is deleted this long after it was attached (a draft abandoned, a page rotated). The key of ``Session.info`` that holds the rows :func:`link` wrote, for :func:`queue_added`. Small decoded copies of the latest images kept for their thumbnails (~0.4 MB each for an A4 scan). Decoded pixels above which an image is refused before it is decoded (a decompression bomb, a wrong scan mode).</extracomment>
        <translation>Only JPEG, PNG images or PDF files can be attached: save the scan in one of these formats and attach it again.</translation>
    </message>
    <message>
        <source>文件过大（{size} MB，上限 {limit} MB）：请降低扫描分辨率或分成几个文件后再附加。</source>
        <translation>The file is too large ({size} MB, limit {limit} MB): lower the scan resolution or split it into several files, then attach it again.</translation>
    </message>
    <message>
        <source>文件无法读取（已损坏或不完整）：请重新扫描或重新导出后再附加。</source>
        <translation>The file cannot be read (damaged or incomplete): scan or export it again, then attach it.</translation>
    </message>
    <message>
        <source>图片像素过多：请降低扫描分辨率后再附加。</source>
        <translation>The image has too many pixels: lower the scan resolution and attach it again.</translation>
    </message>
    <message>
        <source>附件已不在本机（可能已被清理）：请重新附加该材料。</source>
        <translation>The attachment is no longer on this computer (it may have been cleaned up): attach the material again.</translation>
    </message>
    <message>
        <source>不能删除唯一的一页：如不需要该文件，请删除整个附件。</source>
        <translation>The only page cannot be deleted: if the file is not needed, remove the whole attachment.</translation>
    </message>
    <message>
        <source>材料文件 (*.jpg *.jpeg *.png *.pdf)</source>
        <translation>Material files (*.jpg *.jpeg *.png *.pdf)</translation>
    </message>
    <message>
        <source>选择材料文件</source>
        <translation>Choose material files</translation>
    </message>
</context>
<context>
    <name>audit</name>
    <message>
        <source>第 {seq} 条审计记录与{where}所存的不一致（本机记录被改动或被替换）。</source>
        <extracomment>``session.info`` key under which the store hands every session the chain&apos;s key (app/integrity.py). ``store_meta`` key: ``&quot;{seq}:{mac}&quot;`` of the first keyed event (earlier events are plain SHA-256 links). ``details`` key of an application event&apos;s data digests. The action of a purge&apos;s event (app/retention.py) and the ``details`` key listing the applications it removed (``[{&quot;id&quot;: …, &quot;acceptance_no&quot;: …}]``): their rows are gone by design, not unexplained. The action of a pruning transaction&apos;s event (app/pruning.py): an acknowledged payload&apos;s or an issued PDF&apos;s bytes cleared, the rows kept; counts only. It concerns the workstation, not an application, and changes no personal data, so verification needs nothing more from it. The position concerned (for DELETED the first missing one; None where no position applies). DELETED: the last missing position of the run. REORDERED: where the event belongs. TRUNCATED: the known head&apos;s position. UNEXPLAINED: &quot;application&quot;, &quot;person&quot;, or &quot;removed&quot; (an application&apos;s record deleted without a purge event), and the case number of the application concerned (never a name).</extracomment>
        <translation>Audit record no. {seq} differs from what {where} holds (the record on this machine was changed or replaced).</translation>
    </message>
    <message>
        <source>第 {seq} 条审计记录被改动（与其密钥校验值不符）。</source>
        <translation>Audit record no. {seq} was changed (it does not match its keyed check value).</translation>
    </message>
    <message>
        <source>第 {seq} 至 {last} 条审计记录被删除。</source>
        <translation>Audit records no. {seq} to {last} were deleted.</translation>
    </message>
    <message>
        <source>第 {seq} 条审计记录被删除。</source>
        <translation>Audit record no. {seq} was deleted.</translation>
    </message>
    <message>
        <source>第 {seq} 条审计记录位置被调换（原为第 {other} 条）。</source>
        <translation>Audit record no. {seq} was moved (it was no. {other}).</translation>
    </message>
    <message>
        <source>审计链被截短：本机只到第 {have} 条，{where}已记录到第 {want} 条。</source>
        <translation>The audit chain was cut short: this machine holds records up to no. {have}, {where} recorded up to no. {want}.</translation>
    </message>
    <message>
        <source>申请 {no} 没有任何审计记录（记录被直接写入数据库）。</source>
        <translation>Application {no} has no audit record at all (it was written into the database directly).</translation>
    </message>
    <message>
        <source>申请 {no} 的记录被删除，但没有审计记录说明（最近一次说明是第 {seq} 条）。</source>
        <translation>The record of application {no} was deleted without an audit record saying so (the last one is no. {seq}).</translation>
    </message>
    <message>
        <source>申请 {no} 当事人的个人信息</source>
        <translation>the personal data of the parties of application {no}</translation>
    </message>
    <message>
        <source>申请 {no} 的记录内容</source>
        <translation>the record of application {no}</translation>
    </message>
    <message>
        <source>{what}被改动，但没有审计记录说明（最近一次说明是第 {seq} 条）。</source>
        <translation>{what} was changed without an audit record saying so (the last one is no. {seq}).</translation>
    </message>
    <message>
        <source>审计链没有密钥校验的部分，或其起点记录被删除、改动。</source>
        <translation>The audit chain has no keyed part, or its first record was deleted or changed.</translation>
    </message>
</context>
<context>
    <name>backups</name>
    <message>
        <source>备份未能写入或核验失败（{reason}），数据库本身未受影响。请信息员检查 {folder} 的磁盘空间和权限。</source>
        <extracomment>``backup.max_total_mb``&apos;s default: ten daily copies of a pruned busy store (a backup is a compacted copy, 235 MB after a year of 48 applications a day: docs/performance.md &quot;A store that stays small (issue 16)&quot;) fit with room; a store the server has not acknowledged for months (nothing pruned, 1.2 GB a year) keeps two. The newest always stays, whatever its size.</extracomment>
        <translation>The backup could not be written or failed its check ({reason}); the database itself is unaffected. IT: check the disk space and permissions of {folder}.</translation>
    </message>
    <message>
        <source>{path} 不是一门式受理台的备份（应为 .ybak 文件，旁边有同名的 .ybak.key）。</source>
        <translation>{path} is not a Yimen backup (it should be a .ybak file with a .ybak.key of the same name beside it).</translation>
    </message>
    <message>
        <source>备份 {path} 无法用本机密钥打开：它属于另一台工作站，或本机密钥已更换。请信息员用恢复私钥恢复（yimen restore --identity 私钥文件）。</source>
        <translation>Backup {path} cannot be opened with this machine&apos;s key: it belongs to another workstation, or this machine&apos;s key was replaced. IT: restore it with the recovery private key (yimen restore --identity &lt;key file&gt;).</translation>
    </message>
    <message>
        <source>备份 {path} 的密钥文件已损坏，无法使用。</source>
        <translation>The key file of backup {path} is damaged and cannot be used.</translation>
    </message>
    <message>
        <source>备份 {path} 在写入后被改动或损坏，不能用于恢复。</source>
        <translation>Backup {path} was changed or damaged after it was written and cannot be used to restore.</translation>
    </message>
</context>
<context>
    <name>bootstrap</name>
    <message>
        <source>数据库 {path} 由更新版本的一门式受理台创建（结构版本 {rev}），本程序不能打开它。请信息员安装最新版本，数据未做任何改动。</source>
        <translation>The database {path} was written by a newer Yimen (schema {rev}); this version cannot open it. Ask IT to install the latest version. No data was changed.</translation>
    </message>
</context>
<context>
    <name>catalog</name>
    <message>
        <source>{problem}（位置 {where}）</source>
        <extracomment>File name patterns of catalog files in a folder.</extracomment>
        <translation>{problem} (at {where})</translation>
    </message>
    <message>
        <source>文件 {path}：{problem}</source>
        <translation>File {path}: {problem}</translation>
    </message>
    <message>
        <source>文件 {path} 第 {line} 行：{problem}</source>
        <translation>File {path}, line {line}: {problem}</translation>
    </message>
    <message>
        <source>{problem}（另有 {more} 处问题）</source>
        <translation>{problem} ({more} more problems)</translation>
    </message>
    <message>
        <source>文件不是 UTF-8 编码（第 {column} 列的字节 0x{byte} 无法识别）；请用 UTF-8 编码另存此文件</source>
        <translation>The file is not UTF-8 (byte 0x{byte} in column {column} is not valid); save it again as UTF-8</translation>
    </message>
    <message>
        <source>文件是空的；应是一个事项的 YAML 定义（从 schema: 1 开始）</source>
        <translation>The file is empty; it should hold the YAML definition of one item (starting with schema: 1)</translation>
    </message>
    <message>
        <source>文件只有注释，没有内容；应是一个事项的 YAML 定义</source>
        <translation>The file holds only comments; it should hold the YAML definition of one item</translation>
    </message>
    <message>
        <source>YAML 格式错误：{detail}</source>
        <translation>YAML format error: {detail}</translation>
    </message>
    <message>
        <source>文件的顶层应是“键: 值”的映射（从 schema: 1 开始），而不是列表或单个值</source>
        <translation>The top level of the file should be a &quot;key: value&quot; mapping (starting with schema: 1), not a list or a single value</translation>
    </message>
    <message>
        <source>不能用 Tab 缩进，请改用空格</source>
        <translation>Tabs cannot be used for indentation; use spaces</translation>
    </message>
    <message>
        <source>此处不能出现“键: 值”：检查上一行的缩进和冒号，值中含冒号时请加引号</source>
        <translation>A &quot;key: value&quot; cannot appear here: check the indentation and colon of the line above, and quote values that contain a colon</translation>
    </message>
    <message>
        <source>缺少冒号“:”，或缩进不一致</source>
        <translation>A colon &quot;:&quot; is missing, or the indentation is inconsistent</translation>
    </message>
    <message>
        <source>缩进不一致，或列表项“-”与键混在同一层</source>
        <translation>Inconsistent indentation, or list items &quot;-&quot; mixed with keys at the same level</translation>
    </message>
    <message>
        <source>引用了未定义的锚点（*别名）</source>
        <translation>Refers to an undefined anchor (*alias)</translation>
    </message>
    <message>
        <source>文件意外结束：引号或括号没有闭合</source>
        <translation>Unexpected end of file: a quote or bracket is not closed</translation>
    </message>
    <message>
        <source>一个文件只能有一个事项（不要用 --- 分隔多个文档）</source>
        <translation>A file can hold only one item (do not separate several documents with ---)</translation>
    </message>
    <message>
        <source>YAML 语法错误（{detail}）</source>
        <translation>YAML syntax error ({detail})</translation>
    </message>
    <message>
        <source>YAML 语法错误：{hint}（{detail}）</source>
        <translation>YAML syntax error: {hint} ({detail})</translation>
    </message>
    <message>
        <source>键“{key}”重复（第 {first} 行已有）；同一层的键只能出现一次</source>
        <translation>Key &quot;{key}&quot; is repeated (already on line {first}); a key may appear only once at the same level</translation>
    </message>
    <message>
        <source>事项代码应形如 MZ-SHJZ-001：2–4 个大写字母（部门），再接 1–3 段“-”加 2–6 个大写字母或数字</source>
        <extracomment>Chinese names of YAML keys, for messages (&quot;字段类型“nmber”无效…&quot;).</extracomment>
        <translation>An item code looks like MZ-SHJZ-001: 2–4 capital letters (the department), then 1–3 parts of &quot;-&quot; and 2–6 capital letters or digits</translation>
    </message>
    <message>
        <source>键名只能用小写英文字母、数字和下划线，以字母开头，最多 40 个字符（字段键名会成为界面控件名）</source>
        <translation>Keys may use only lower-case English letters, digits and underscores, start with a letter, and have at most 40 characters (field keys become widget names)</translation>
    </message>
    <message>
        <source>选项值只能用小写英文字母、数字和下划线，最多 40 个字符（中文写在 zh 中）</source>
        <translation>Choice values may use only lower-case English letters, digits and underscores, at most 40 characters (put the Chinese in zh)</translation>
    </message>
    <message>
        <source>缺少必填的键“{key}”（{what}）</source>
        <translation>Required key &quot;{key}&quot; is missing ({what})</translation>
    </message>
    <message>
        <source>不认识的键“{key}”（拼写错误？）；此处可用的键：{known}</source>
        <translation>Unknown key &quot;{key}&quot; (a typo?); keys allowed here: {known}</translation>
    </message>
    <message>
        <source>{what}“{value}”无效，应为 {expected} 之一</source>
        <translation>{what} &quot;{value}&quot; is not valid; it should be one of {expected}</translation>
    </message>
    <message>
        <source>{what}应为文本，这里被读成了真假值 {value}（YAML 会把 yes/no/on/off 读成真假值，请加引号）</source>
        <translation>{what} should be text, but was read as the boolean {value} (YAML reads yes/no/on/off as booleans; add quotes)</translation>
    </message>
    <message>
        <source>{what}应为文本，这里是{type}</source>
        <translation>{what} should be text; here it is {type}</translation>
    </message>
    <message>
        <source>“{value}”格式不对：{hint}</source>
        <translation>&quot;{value}&quot; has the wrong format: {hint}</translation>
    </message>
    <message>
        <source>{what}“{value}”格式不对，应符合 {pattern}</source>
        <translation>{what} &quot;{value}&quot; has the wrong format; it should match {pattern}</translation>
    </message>
    <message>
        <source>{what}不能为空</source>
        <translation>{what} cannot be empty</translation>
    </message>
    <message>
        <source>{what}太长，最多 {max} 个字符</source>
        <translation>{what} is too long: at most {max} characters</translation>
    </message>
    <message>
        <source>{what}应为整数，这里是“{value}”</source>
        <translation>{what} should be a whole number; here it is &quot;{value}&quot;</translation>
    </message>
    <message>
        <source>{what}应为 true 或 false，这里是“{value}”</source>
        <translation>{what} should be true or false; here it is &quot;{value}&quot;</translation>
    </message>
    <message>
        <source>{what}应为日期，格式 YYYY-MM-DD（如 2025-07-01），这里是“{value}”</source>
        <translation>{what} should be a date in the form YYYY-MM-DD (e.g. 2025-07-01); here it is &quot;{value}&quot;</translation>
    </message>
    <message>
        <source>{what}应 {relation} {bound}，这里是 {value}</source>
        <translation>{what} should be {relation} {bound}; here it is {value}</translation>
    </message>
    <message>
        <source>{what}至少要有 {size} 项</source>
        <translation>{what} needs at least {size} entries</translation>
    </message>
    <message>
        <source>{what}最多 {size} 项</source>
        <translation>{what} may have at most {size} entries</translation>
    </message>
    <message>
        <source>{what}应为列表（每项以“- ”开头），这里是{type}</source>
        <translation>{what} should be a list (each entry starting with &quot;- &quot;); here it is {type}</translation>
    </message>
    <message>
        <source>{what}应为“键: 值”的映射，这里是{type}</source>
        <translation>{what} should be a &quot;key: value&quot; mapping; here it is {type}</translation>
    </message>
    <message>
        <source>{what}的值无效</source>
        <translation>The value of {what} is not valid</translation>
    </message>
    <message>
        <source>{what}的值无效：{detail}</source>
        <translation>The value of {what} is not valid: {detail}</translation>
    </message>
    <message>
        <source>不认识的键“{key}”：花括号 {{…}} 里的英文逗号会把值拆开，含逗号的值请加引号，如 en: &quot;a, b&quot;</source>
        <translation>Unknown key &quot;{key}&quot;: a comma inside braces {{…}} splits the value; quote values that contain a comma, e.g. en: &quot;a, b&quot;</translation>
    </message>
    <message>
        <source>无法读取事项目录：{error}</source>
        <translation>Cannot read the item catalog: {error}</translation>
    </message>
    <message>
        <source>无法读取文件：{error}</source>
        <translation>Cannot read the file: {error}</translation>
    </message>
    <message>
        <source>读取时发生内部错误，已记入日志；请通知信息员</source>
        <translation>An internal error occurred while reading; it has been logged. Please tell IT</translation>
    </message>
    <message>
        <source>事项代码 {code} 与文件 {other} 重复（代码必须唯一）；已采用 {other} 中的 v{version}，本文件未载入</source>
        <translation>Item code {code} is also used by file {other} (codes must be unique); v{version} from {other} is used and this file was not loaded</translation>
    </message>
    <message>
        <source>无法读取目录 {path}：{error}</source>
        <translation>Cannot read the folder {path}: {error}</translation>
    </message>
    <message>
        <source>路径不存在：{path}</source>
        <translation>The path does not exist: {path}</translation>
    </message>
    <message>
        <source>没有找到事项文件（*.yaml、*.yml）</source>
        <translation>No item files (*.yaml, *.yml) were found</translation>
    </message>
    <message>
        <source>{file}：{code} {name} v{version}{retired}</source>
        <translation>{file}: {code} {name} v{version}{retired}</translation>
    </message>
    <message>
        <source>共检查 {total} 个文件：{good} 个通过，{bad} 个有问题</source>
        <translation>{total} files checked: {good} passed, {bad} with problems</translation>
    </message>
    <message>
        <source>文件 {path}：事项 {code} 的内容已改动但版本号仍为 {version}，已继续使用数据库中的原版本。修改事项时请同时提高 version。</source>
        <translation>File {path}: the content of item {code} changed but its version is still {version}; the version stored in the database is still used. Raise version whenever an item changes.</translation>
    </message>
    <message>
        <source>文件 {path}：事项 {code} 的版本 {version} 低于已使用的版本 {newest}，已忽略该文件。</source>
        <translation>File {path}: version {version} of item {code} is lower than version {newest} already in use; the file was ignored.</translation>
    </message>
    <message>
        <source>中心服务器下发的事项版本校验失败（内容与 SHA-256 不符），已忽略。</source>
        <translation>A catalog item version from the central server failed its check (content does not match its SHA-256); ignored.</translation>
    </message>
    <message>
        <source>中心服务器下发的事项版本无法识别（可能需要升级本程序），已忽略。</source>
        <translation>A catalog item version from the central server could not be read (this program may need an upgrade); ignored.</translation>
    </message>
    <message>
        <source>“{label}”应为文字</source>
        <extracomment>Dates outside this range are typing mistakes for every date a counter form asks for (the years an event carries).</extracomment>
        <translation>“{label}” should be text</translation>
    </message>
    <message>
        <source>“{label}”只能填一行，不能换行</source>
        <translation>“{label}” takes one line, without line breaks</translation>
    </message>
    <message>
        <source>“{label}”含有不可见的控制字符，请重新输入</source>
        <translation>“{label}” has invisible control characters; type it again</translation>
    </message>
    <message>
        <source>“{label}”过长：最多 {n} 个字，请精简</source>
        <translation>&quot;{label}&quot; is too long: at most {n} characters; please shorten it</translation>
    </message>
    <message>
        <source>“{label}”应为整数</source>
        <translation>“{label}” should be a whole number</translation>
    </message>
    <message>
        <source>“{label}”的数值太大</source>
        <translation>“{label}” is too large</translation>
    </message>
    <message>
        <source>“{label}”应为金额（元，最多两位小数），如 1234.50</source>
        <translation>“{label}” should be an amount in yuan (at most two decimals), e.g. 1234.50</translation>
    </message>
    <message>
        <source>“{label}”的金额太大</source>
        <translation>The amount of “{label}” is too large</translation>
    </message>
    <message>
        <source>“{label}”应为日期，如 2025-07-01</source>
        <translation>“{label}” should be a date, e.g. 2025-07-01</translation>
    </message>
    <message>
        <source>“{label}”的日期 {value} 不存在</source>
        <translation>The date {value} of “{label}” does not exist</translation>
    </message>
    <message>
        <source>“{label}”的年份 {year} 不合理，请核对</source>
        <translation>The year {year} of “{label}” is implausible; check it</translation>
    </message>
    <message>
        <source>“{label}”应从这些选项中选择：{choices}</source>
        <translation>Choose “{label}” from: {choices}</translation>
    </message>
    <message>
        <source>“{label}”应选择“是”或“否”</source>
        <translation>Answer “{label}” with yes or no</translation>
    </message>
    <message>
        <source>“{label}”应为身份号码</source>
        <translation>“{label}” should be an ID number</translation>
    </message>
    <message>
        <source>“{label}”不是有效的身份号码</source>
        <translation>“{label}” is not a valid ID number</translation>
    </message>
    <message>
        <source>“{label}”应为电话号码</source>
        <translation>“{label}” should be a phone number</translation>
    </message>
    <message>
        <source>“{label}”应为残疾人证号</source>
        <translation>“{label}” should be a disability certificate number</translation>
    </message>
    <message>
        <source>“{label}”不是有效的残疾人证号</source>
        <translation>“{label}” is not a valid disability certificate number</translation>
    </message>
    <message>
        <source>“{label}”至少要 {count} 个字</source>
        <translation>“{label}” needs at least {count} characters</translation>
    </message>
    <message>
        <source>“{label}”最多 {count} 个字，现在是 {actual} 个</source>
        <translation>“{label}” takes at most {count} characters; it has {actual}</translation>
    </message>
    <message>
        <source>“{label}”的格式不对：{hint}</source>
        <translation>“{label}” has the wrong format: {hint}</translation>
    </message>
    <message>
        <source>“{label}”至少选 {count} 项</source>
        <translation>Tick at least {count} for “{label}”</translation>
    </message>
    <message>
        <source>“{label}”最多选 {count} 项</source>
        <translation>Tick at most {count} for “{label}”</translation>
    </message>
    <message>
        <source>“{label}”不能少于 {amount} 元</source>
        <translation>“{label}” cannot be less than {amount} yuan</translation>
    </message>
    <message>
        <source>“{label}”不能小于 {min}</source>
        <translation>“{label}” cannot be less than {min}</translation>
    </message>
    <message>
        <source>“{label}”不能多于 {amount} 元</source>
        <translation>“{label}” cannot be more than {amount} yuan</translation>
    </message>
    <message>
        <source>“{label}”不能大于 {max}</source>
        <translation>“{label}” cannot be more than {max}</translation>
    </message>
    <message>
        <source>“{label}”的值无法识别，请重新输入</source>
        <translation>The value of “{label}” was not understood; type it again</translation>
    </message>
    <message>
        <source>请选择“{label}”</source>
        <translation>Choose “{label}”</translation>
    </message>
    <message>
        <source>请选择“{label}”（是或否）</source>
        <translation>Answer “{label}” (yes or no)</translation>
    </message>
    <message>
        <source>请填写“{label}”</source>
        <translation>Fill in “{label}”</translation>
    </message>
    <message>
        <source>本事项不需要{role}（{name}），请删除</source>
        <translation>This item takes no {role} ({name}); remove them</translation>
    </message>
    <message>
        <source>需要至少 {min} 名{role}，现在有 {count} 名</source>
        <translation>At least {min} × {role} needed; there are {count}</translation>
    </message>
    <message>
        <source>最多 {max} 名{role}，现在有 {count} 名</source>
        <translation>At most {max} × {role}; there are {count}</translation>
    </message>
    <message>
        <source>{role}{name}不是本市户籍：“{item}”要求本市户籍</source>
        <translation>{role} {name} is not registered in Shanghai: “{item}” requires a Shanghai hukou</translation>
    </message>
    <message>
        <source>视力</source>
        <extracomment>rules.md §2: category digit 5 智力, 6 精神.</extracomment>
        <translation>visual</translation>
    </message>
    <message>
        <source>听力</source>
        <translation>hearing</translation>
    </message>
    <message>
        <source>言语</source>
        <translation>speech</translation>
    </message>
    <message>
        <source>肢体</source>
        <translation>physical</translation>
    </message>
    <message>
        <source>智力</source>
        <translation>intellectual</translation>
    </message>
    <message>
        <source>精神</source>
        <translation>mental</translation>
    </message>
    <message>
        <source>多重</source>
        <translation>multiple</translation>
    </message>
    <message>
        <source>一级</source>
        <translation>grade 1</translation>
    </message>
    <message>
        <source>二级</source>
        <translation>grade 2</translation>
    </message>
    <message>
        <source>三级</source>
        <translation>grade 3</translation>
    </message>
    <message>
        <source>四级</source>
        <translation>grade 4</translation>
    </message>
    <message>
        <source>{category}{grade}</source>
        <translation>{grade} {category}</translation>
    </message>
    <message>
        <source>未能读出{name}的残疾类别和等级（请录入残疾人证号），无法核对“{what}”的条件，请人工核对</source>
        <translation>The disability category and grade of {name} are unknown (enter the certificate number); check the conditions of “{what}” by hand</translation>
    </message>
    <message>
        <source>未能确定{name}的出生日期，无法核对“{what}”的年龄条件，请人工核对</source>
        <translation>The birth date of {name} is unknown; check the age condition of “{what}” by hand</translation>
    </message>
    <message>
        <source>{name}于{reached}才满 {years} 周岁，{on}尚未达到：{reason}</source>
        <translation>{name} turns {years} only on {reached}, not yet on {on}: {reason}</translation>
    </message>
    <message>
        <source>须持有本市核发的第二代残疾人证（2016 年两项补贴实施时的口径），请核对</source>
        <translation>A second-generation disability certificate issued in Shanghai is required (the 2016 rule of the two subsidies); check it</translation>
    </message>
    <message>
        <source>重度残疾人护理补贴</source>
        <translation>nursing subsidy for severely disabled people</translation>
    </message>
    <message>
        <source>{name}为{disability}残疾：重度残疾人护理补贴限一级、二级残疾和三级智力、三级精神残疾</source>
        <translation>{name} has a {disability} disability: the nursing subsidy covers grades 1 and 2, and grade 3 intellectual or mental disability</translation>
    </message>
    <message>
        <source>困难残疾人生活补贴限重残无业人员、低保家庭和低保边缘家庭的残疾人</source>
        <translation>The living subsidy covers severely disabled people without work and disabled people in dibao or near-dibao families</translation>
    </message>
    <message>
        <source>困难残疾人生活补贴</source>
        <translation>living subsidy for disabled people in need</translation>
    </message>
    <message>
        <source>选择了“重残无业”，但{name}为{disability}残疾；重残指一级、二级或三级智力残疾，请核对</source>
        <translation>“Severely disabled without work” was chosen, but {name} has a {disability} disability; severe means grade 1, 2 or grade 3 intellectual; check it</translation>
    </message>
    <message>
        <source>重残无业人员生活补助</source>
        <translation>living allowance for severely disabled people without work</translation>
    </message>
    <message>
        <source>重残无业人员生活补助限无法通过劳动获得收入、生活不能自理的重残人员</source>
        <translation>The allowance covers severely disabled people who cannot earn by work or look after themselves</translation>
    </message>
    <message>
        <source>养老金不低于补助标准：市民政局解读只允许养老金低于补助标准的人员申请，请核实</source>
        <translation>The pension is not below the allowance: the bureau&apos;s guidance admits only pensions below it; check it</translation>
    </message>
    <message>
        <source>重残无业人员生活补助限年满 16 周岁的人员</source>
        <translation>The allowance covers people aged 16 or over</translation>
    </message>
    <message>
        <source>{name}为{disability}残疾：重残无业人员生活补助限一级、二级残疾或三级智力残疾</source>
        <translation>{name} has a {disability} disability: the allowance covers grades 1 and 2, or grade 3 intellectual disability</translation>
    </message>
    <message>
        <source>老年综合津贴</source>
        <translation>senior citizens&apos; allowance</translation>
    </message>
    <message>
        <source>老年综合津贴发给年满 65 周岁的本市户籍老人</source>
        <translation>The senior allowance is for people with a Shanghai hukou aged 65 or over</translation>
    </message>
    <message>
        <source>老年照护统一需求评估限参加职工医保或城乡居民医保的老人，以及未参保的本市户籍老人</source>
        <translation>The care-needs assessment covers older people in employee or resident medical insurance, and uninsured people with a Shanghai hukou</translation>
    </message>
    <message>
        <source>选择了“本市户籍、未参加医保”，但录入的户籍不在本市，请核对参保和户籍情况</source>
        <translation>“Shanghai hukou, uninsured” was chosen, but the hukou entered is not in Shanghai; check insurance and hukou</translation>
    </message>
    <message>
        <source>老年照护统一需求评估</source>
        <translation>unified elderly care needs assessment</translation>
    </message>
    <message>
        <source>老年照护统一需求评估限年满 60 周岁的老人</source>
        <translation>The care-needs assessment is for people aged 60 or over</translation>
    </message>
    <message>
        <source>基本殡葬服务补贴限重点优抚对象、低保、特困、定期定量救济、因病支出型贫困对象，以及未享受社保丧葬费补贴的人员</source>
        <translation>The basic funeral service subsidy is limited to key entitled groups, minimum-living-allowance and extreme-poverty recipients, regular fixed-amount relief recipients, families in illness-induced poverty, and people who received no social-insurance funeral grant</translation>
    </message>
    <message>
        <source>基本殡葬服务补贴限在本市火化的逝者</source>
        <translation>The funeral subsidy covers people cremated in Shanghai</translation>
    </message>
    <message>
        <source>市民政局指南写明在逝者户籍地的社区事务受理服务中心申请；本中心不是逝者户籍地中心，是否可以全市通办尚未确认，请核实后再受理</source>
        <translation>The city civil-affairs bureau&apos;s guide says to apply at the community affairs center of the deceased&apos;s registered residence; this center is not that center, and whether the item is handled citywide is not confirmed. Check before accepting</translation>
    </message>
    <message>
        <source>票据金额 {claimed} 元超过补贴上限 {cap} 元/具：按实报销，最多补贴 {cap} 元</source>
        <translation>The receipts of {claimed} yuan exceed the cap of {cap} yuan: at most {cap} yuan is paid</translation>
    </message>
    <message>
        <source>死亡日期 {died} 晚于今天（{today}）：请按火化证明核对死亡日期</source>
        <translation>The date of death {died} is after today ({today}): check it against the cremation certificate</translation>
    </message>
    <message>
        <source>预约登记日期不能早于今天（{today}）</source>
        <extracomment>民法典 Art. 1047: 结婚年龄，男不得早于二十二周岁，女不得早于二十周岁 (rules.md §5).</extracomment>
        <translation>The appointment cannot be before today ({today})</translation>
    </message>
    <message>
        <source>未能确定{name}的性别，请人工核对法定婚龄（男二十二周岁、女二十周岁）</source>
        <translation>The sex of {name} is unknown; check the legal marriage age by hand (men 22, women 20)</translation>
    </message>
    <message>
        <source>结婚登记</source>
        <translation>marriage registration</translation>
    </message>
    <message>
        <source>民法典第一千零四十七条规定男不得早于二十二周岁结婚</source>
        <translation>Civil Code Art. 1047: men may not marry before 22</translation>
    </message>
    <message>
        <source>民法典第一千零四十七条规定女不得早于二十周岁结婚</source>
        <translation>Civil Code Art. 1047: women may not marry before 20</translation>
    </message>
    <message>
        <source>{name}没有录入居民身份证号码：本事项只为持居民身份证的内地居民预审，请录入居民身份证号码；持其他证件的当事人所需材料不同，请告知其向婚姻登记机关咨询</source>
        <translation>{name} has no resident ID number entered: this item pre-checks only mainland residents with a resident ID card. Enter the ID number; parties with other documents need different materials — tell them to ask the marriage registration office</translation>
    </message>
    <message>
        <source>{name}持{kind}：本事项只为持居民身份证的内地居民预审。港澳台居民、华侨和外国人办理婚姻登记所需材料不同，本窗口不预审，请告知当事人向婚姻登记机关咨询材料和办理地点</source>
        <translation>{name} holds a {kind}: this item pre-checks only mainland residents with a resident ID card. Residents of Hong Kong, Macao and Taiwan, overseas Chinese and foreigners need different materials and are not pre-checked here; tell them to ask the marriage registration office about materials and where to register</translation>
    </message>
    <message>
        <source>结婚登记须由男女双方申请（民法典第一千零四十九条），{first}和{second}的身份号码显示性别均为{sex}：请核对身份号码，不能预约结婚登记</source>
        <translation>Marriage registration is applied for by a man and a woman (Civil Code Art. 1049); the ID numbers of {first} and {second} both show the sex {sex}. Check the ID numbers; no booking can be made</translation>
    </message>
    <message>
        <source>低保由申请人户籍地的街道办事处（乡镇人民政府）受理；申请人户籍不在本中心辖区，是否可以按全市通办收件尚未确认，请核实后再受理，或请申请人到户籍地社区事务受理服务中心申请</source>
        <extracomment>Marital statuses under which no spouse can be a household member.</extracomment>
        <translation>The minimum living allowance is accepted by the street office (township government) of the applicant&apos;s registered residence; the applicant is registered outside this center&apos;s area, and whether it may be taken citywide is not confirmed. Check before accepting, or send the applicant to the community affairs center of their registered residence</translation>
    </message>
    <message>
        <source>家庭成员{name}没有录入身份号码：居民经济状况核对需要每位家庭成员的身份信息和授权，请核对</source>
        <translation>Household member {name} has no ID number: the economic-status check needs every member&apos;s identity and authorisation; check it</translation>
    </message>
    <message>
        <source>{name}在家庭成员中重复列出（身份号码相同），请删除重复的一行</source>
        <translation>{name} is listed twice among the household (same ID number); delete the duplicate row</translation>
    </message>
    <message>
        <source>申请人{applicant}的婚姻状况为“{status}”，家庭成员中却列有配偶{spouse}：请核对申请人的婚姻状况或该成员与申请人的关系</source>
        <translation>Applicant {applicant}&apos;s marital status is &quot;{status}&quot;, but the household lists a spouse, {spouse}: check the applicant&apos;s marital status or that member&apos;s relationship</translation>
    </message>
    <message>
        <source>家庭成员中列有 {count} 名配偶：只能有一名配偶，请核对与申请人的关系</source>
        <translation>The household lists {count} spouses: there can be only one; check the relationships to the applicant</translation>
    </message>
    <message>
        <source>申请人{applicant}已婚，但家庭成员中没有配偶：配偶是共同生活的家庭成员（服刑、强制隔离戒毒等情形除外），请补录配偶或核对婚姻状况</source>
        <translation>Applicant {applicant} is married, but no spouse is listed in the household: a spouse is a household member living together (except in prison, compulsory drug rehabilitation and similar cases). Add the spouse or check the marital status</translation>
    </message>
    <message>
        <source>{name}未满 18 周岁（{age} 周岁），不能本人签署居民经济状况核对授权书：请在“代签监护人”一栏填写代签的监护人姓名；监护人不是申请人或家庭成员的，请添加为监护人</source>
        <translation>{name} is under 18 ({age}) and cannot sign the household economic status check authorisation: enter the guardian who signs in &quot;Guardian who signs&quot;; a guardian who is neither the applicant nor a household member is added as a guardian</translation>
    </message>
    <message>
        <source>{name}的代签监护人“{signer}”不在本次申请中：请把该监护人添加为监护人，或核对填写的姓名</source>
        <translation>{name}&apos;s guardian who signs, &quot;{signer}&quot;, is not in this application: add that guardian, or check the name entered</translation>
    </message>
    <message>
        <source>{name}的代签监护人{signer}未满 18 周岁，不能代签核对授权书：请由成年的监护人签字</source>
        <translation>{name}&apos;s guardian who signs, {signer}, is under 18 and cannot sign the check authorisation: an adult guardian must sign</translation>
    </message>
    <message>
        <source>监护人{name}没有被填为任何未成年人的代签监护人：请在未成年人的“代签监护人”一栏填写，或删除此监护人</source>
        <translation>Guardian {name} is not named as the guardian who signs for any minor: enter them in the minor&apos;s &quot;Guardian who signs&quot;, or remove this guardian</translation>
    </message>
    <message>
        <source>只有已退出（status: retired）的事项才能写退出日期</source>
        <translation>Only a retired item (status: retired) can have a retirement date</translation>
    </message>
    <message>
        <source>退出日期应晚于生效日期 {start}</source>
        <translation>The retirement date must be later than the effective date {start}</translation>
    </message>
    <message>
        <source>生效日期为暂定值（effective_from_placeholder: true）时，须在 effective_from_source 中写明“{mark}”</source>
        <translation>When the effective date is provisional (effective_from_placeholder: true), effective_from_source must say &quot;{mark}&quot;</translation>
    </message>
    <message>
        <source>签名人 {role} 不是本事项的当事人角色</source>
        <translation>Signer {role} is not a party role of this item</translation>
    </message>
    <message>
        <source>签名人 {role} 重复</source>
        <translation>Signer {role} is listed twice</translation>
    </message>
    <message>
        <source>申请表版式 side_by_side 要求前两个当事人角色各为 1 人（max: 1），如婚姻登记的双方</source>
        <translation>The side_by_side form layout needs the first two party roles to be one person each (max: 1), like the two parties of a marriage registration</translation>
    </message>
    <message>
        <source>承诺时限 {promised} 个工作日超过法定时限 {legal} 个工作日，承诺时限不能长于法定时限</source>
        <translation>The promised time limit of {promised} working days exceeds the legal limit of {legal} working days; the promised limit cannot be longer than the legal one</translation>
    </message>
    <message>
        <source>受理类事项必须写承诺时限 promised_days（工作日，用于计算承诺办结日）；找不到依据时写暂定值，并在 time_limit_source 中写明“未找到上海公开依据，暂按…，待确认”</source>
        <translation>Application items must give promised_days (working days, used for the promised completion date); without a source give a provisional value and write &quot;未找到上海公开依据，暂按…，待确认&quot; in time_limit_source</translation>
    </message>
    <message>
        <source>受理类事项必须写时限依据 time_limit_source（文号或网址；暂定值写明“待确认”）</source>
        <translation>Application items must give time_limit_source (a document number or URL; a provisional value says &quot;待确认&quot;)</translation>
    </message>
    <message>
        <source>查询类事项（kind: inquiry）当场答复、出具答复单，不受理也不承诺办结日：请删除 {name}</source>
        <translation>An inquiry item (kind: inquiry) is answered on the spot with an answer slip; it is not accepted and promises no date: remove {name}</translation>
    </message>
    <message>
        <source>时限为暂定值（time_limit_placeholder: true）时，时限依据须写明“{mark}”</source>
        <translation>When the time limit is provisional (time_limit_placeholder: true), time_limit_source must say &quot;{mark}&quot;</translation>
    </message>
    <message>
        <source>角色“{role}”重复声明</source>
        <translation>Role &quot;{role}&quot; is declared twice</translation>
    </message>
    <message>
        <source>最少人数 {min} 大于最多人数 {max}</source>
        <translation>The minimum number {min} is greater than the maximum {max}</translation>
    </message>
    <message>
        <source>当事人字段“{key}”与事项字段重名，请换一个键名</source>
        <translation>Party field &quot;{key}&quot; has the same name as an item field; choose another key</translation>
    </message>
    <message>
        <source>每个事项都要声明申请人（role: applicant），且 min 至少为 1</source>
        <translation>Every item must declare the applicant (role: applicant) with min at least 1</translation>
    </message>
    <message>
        <source>申请人的 min 至少为 1</source>
        <translation>The applicant&apos;s min must be at least 1</translation>
    </message>
    <message>
        <source>字段键名“{key}”重复</source>
        <translation>Field key &quot;{key}&quot; is repeated</translation>
    </message>
    <message>
        <source>{type} 类型的字段必须在 constraints.choices 中列出选项</source>
        <translation>A field of type {type} must list its choices in constraints.choices</translation>
    </message>
    <message>
        <source>选项值“{value}”重复</source>
        <translation>Choice value &quot;{value}&quot; is repeated</translation>
    </message>
    <message>
        <source>只有 choice、multichoice 类型的字段可以有选项（choices）</source>
        <translation>Only choice and multichoice fields can have choices</translation>
    </message>
    <message>
        <source>{name} 只适用于 int、money、multichoice 类型，不适用于 {type}</source>
        <translation>{name} applies only to int, money and multichoice fields, not to {type}</translation>
    </message>
    <message>
        <source>{name} 只适用于 text、multiline、address 类型，不适用于 {type}</source>
        <translation>{name} applies only to text, multiline and address fields, not to {type}</translation>
    </message>
    <message>
        <source>min {min} 大于 max {max}</source>
        <translation>min {min} is greater than max {max}</translation>
    </message>
    <message>
        <source>min_length {min} 大于 max_length {max}</source>
        <translation>min_length {min} is greater than max_length {max}</translation>
    </message>
    <message>
        <source>正则表达式“{pattern}”无效：{error}</source>
        <translation>Regular expression &quot;{pattern}&quot; is not valid: {error}</translation>
    </message>
    <message>
        <source>条件必须且只能写 equals、in、truthy 三者之一（现在写了 {count} 个）</source>
        <translation>A condition must use exactly one of equals, in, truthy (it uses {count})</translation>
    </message>
    <message>
        <source>字段“{key}”的显示条件不能引用它自己</source>
        <translation>The display condition of field &quot;{key}&quot; cannot refer to the field itself</translation>
    </message>
    <message>
        <source>条件引用的字段“{key}”不存在（须是在它之前声明的字段），可用：{known}</source>
        <translation>The condition refers to field &quot;{key}&quot;, which does not exist (it must be declared earlier); available: {known}</translation>
    </message>
    <message>
        <source>“{value}”不是字段“{key}”的选项，应为 {choices} 之一（YES/NO 之类的值要加引号）</source>
        <translation>&quot;{value}&quot; is not a choice of field &quot;{key}&quot;; it should be one of {choices} (quote values such as YES/NO)</translation>
    </message>
    <message>
        <source>字段“{key}”是 bool 类型，条件值应为 true 或 false</source>
        <translation>Field &quot;{key}&quot; is a bool; the condition value should be true or false</translation>
    </message>
    <message>
        <source>字段“{key}”是数值类型，条件值应为整数</source>
        <translation>Field &quot;{key}&quot; is numeric; the condition value should be a whole number</translation>
    </message>
    <message>
        <source>字段“{key}”是文本类型，条件值应为文本（加引号）</source>
        <translation>Field &quot;{key}&quot; is text; the condition value should be text (in quotes)</translation>
    </message>
    <message>
        <source>材料键名“{key}”重复</source>
        <translation>Material key &quot;{key}&quot; is repeated</translation>
    </message>
    <message>
        <source>材料所属角色“{role}”没有在 parties 中声明，已声明：{known}</source>
        <translation>The material&apos;s role &quot;{role}&quot; is not declared in parties; declared: {known}</translation>
    </message>
    <message>
        <source>声明了代理人（agent）的事项须有代理人带来的材料（per_party: agent），至少是委托书</source>
        <translation>An item that declares an agent must list a material the agent brings (per_party: agent), at least the power of attorney</translation>
    </message>
    <message>
        <source>户籍核对对象“{role}”没有在 parties 中声明</source>
        <translation>The party whose registered residence is checked, &quot;{role}&quot;, is not declared in parties</translation>
    </message>
    <message>
        <source>要求本市户籍的事项，{role}须有必填的 bool 字段“{key}”（户籍是窗口录入并核验的事实，不从身份证号推断）</source>
        <translation>For an item that requires Shanghai registered residence, the {role} needs a required bool field &quot;{key}&quot; (registered residence is a fact the clerk enters and checks, never derived from the ID number)</translation>
    </message>
    <message>
        <source>规则“{rule}”重复</source>
        <translation>Rule &quot;{rule}&quot; is repeated</translation>
    </message>
    <message>
        <source>规则“{rule}”需要声明角色“{role}”</source>
        <translation>Rule &quot;{rule}&quot; needs the role &quot;{role}&quot; to be declared</translation>
    </message>
    <message>
        <source>规则“{rule}”需要金额“{amount}”</source>
        <translation>Rule &quot;{rule}&quot; needs the amount &quot;{amount}&quot;</translation>
    </message>
    <message>
        <source>规则“{rule}”需要按年龄段的金额（age_min/age_max）</source>
        <translation>Rule &quot;{rule}&quot; needs amounts by age band (age_min/age_max)</translation>
    </message>
    <message>
        <source>规则“{rule}”需要{owner}字段“{key}”，类型 {type}</source>
        <translation>Rule &quot;{rule}&quot; needs the {owner} field &quot;{key}&quot; of type {type}</translation>
    </message>
    <message>
        <source>规则“{rule}”不认识字段“{key}”的选项 {unknown}，可用的选项值：{known}</source>
        <translation>Rule &quot;{rule}&quot; does not know the choices {unknown} of field &quot;{key}&quot;; known choice values: {known}</translation>
    </message>
    <message>
        <source>金额“{name}”的生效日期须按时间先后排列且不重复：{date} 不晚于上一条的 {prev}</source>
        <translation>The effective dates of amount &quot;{name}&quot; must be in order without repeats: {date} is not later than the previous {prev}</translation>
    </message>
    <message>
        <source>金额“{name}”的单位前后不一致：{unit} 与 {prev}</source>
        <translation>The units of amount &quot;{name}&quot; differ: {unit} and {prev}</translation>
    </message>
    <message>
        <source>age_min {min} 大于 age_max {max}</source>
        <translation>age_min {min} is greater than age_max {max}</translation>
    </message>
    <message>
        <source>写了 age_max 就要写 age_min</source>
        <translation>age_max needs age_min too</translation>
    </message>
    <message>
        <source>材料的名称和标准会印在回执和补正通知书上，不能写“{mark}”之类的备注；暂定、未找到的说明请写在材料的 note 中</source>
        <extracomment>The catalog authors&apos; marks: they belong in a material&apos;s ``note`` or the item&apos;s ``notes``, never in a text that is printed for the citizen (a material&apos;s name and standard reach the receipt and the 补正 notice).</extracomment>
        <translation>A material&apos;s name and standard are printed on receipts and correction notices and cannot carry remarks such as &quot;{mark}&quot;; put provisional or not-found remarks in the material&apos;s note</translation>
    </message>
    <message>
        <source>复印件（form: copy）由中心收取，handling 应为 keep 或不写；原件核验后退还的材料请写 form: original</source>
        <translation>Copies (form: copy) are kept by the center: handling should be keep or left out; write form: original for a material that is checked and handed back</translation>
    </message>
    <message>
        <source>电子材料（form: electronic）本身就是电子的，不必再标 e_license；e_license 用于可电子证照核验、免交纸质的证照</source>
        <translation>An electronic material (form: electronic) is already electronic and needs no e_license; e_license is for certificates that can be checked in the electronic licence library instead of on paper</translation>
    </message>
    <message>
        <source>由中心收取的原件（如申请表、委托书、照片）不能用电子证照代替；证照类材料请写 handling: return 或 copy 再标 e_license: true</source>
        <translation>Originals the center keeps (forms, powers of attorney, photos) cannot be replaced by an electronic licence; for certificates write handling: return or copy, then e_license: true</translation>
    </message>
    <message>
        <source>写了条款（article）的依据须写出处：文号 doc_no 或原文网址 url；找不到出处时不写条款，只写依据名称</source>
        <extracomment>The law only a 行政许可 may cite (issue 13: benefits are 行政给付, not licences).</extracomment>
        <translation>A basis with an article needs its source: the document number doc_no or the URL of the text; without a source give only the title, no article</translation>
    </message>
    <message>
        <source>已核实（verified: true）的依据须写所见官方原文的网址 url；未见原文请写 verified: false 并在 note 中说明</source>
        <translation>A verified basis (verified: true) needs the URL of the official text that was read; if it was not read, write verified: false and explain in note</translation>
    </message>
    <message>
        <source>事项性质为“{nature}”，不能以《行政许可法》为依据（只有行政许可事项可以引用）；请写本事项自己的政策依据，没有可引用的依据时留空（文书写“根据有关规定”）</source>
        <translation>The item&apos;s nature is &quot;{nature}&quot;, so it cannot cite the Administrative Licensing Law (only licensing items may); give the item&apos;s own basis, or leave it empty when there is none (documents then say &quot;根据有关规定&quot;)</translation>
    </message>
    <message>
        <source>{what}只适用于受理类事项（kind: application）</source>
        <translation>{what} applies only to application items (kind: application)</translation>
    </message>
    <message>
        <source>先行救助只适用于社会救助类事项（如临时救助），本事项类别为“{category}”</source>
        <translation>Help first (先行救助) applies only to social assistance items (such as temporary assistance); this item&apos;s category is &quot;{category}&quot;</translation>
    </message>
    <message>
        <source>材料“{key}”重复</source>
        <translation>Material &quot;{key}&quot; is repeated</translation>
    </message>
    <message>
        <source>{what}的材料“{key}”不在本事项的材料（materials）中，可用：{known}</source>
        <translation>Material &quot;{key}&quot; of {what} is not among this item&apos;s materials; available: {known}</translation>
    </message>
    <message>
        <source>材料“{key}”不是必需材料，缺少它本来就不影响受理，不必列入{what}</source>
        <translation>Material &quot;{key}&quot; is not required: its absence never blocks acceptance, so it need not be listed in {what}</translation>
    </message>
    <message>
        <source>{what}须有可查的依据：依据（basis）须写文号 doc_no 或网址 url，找不到依据的事项不开启{what}</source>
        <translation>{what} needs a basis that can be looked up: the basis must give a document number doc_no or a url; an item without one does not turn on {what}</translation>
    </message>
    <message>
        <source>特困人员无劳动能力</source>
        <extracomment>周岁 from which the applicant signs the 核对授权书 themselves (as for 低保: a guardian signs for a minor).</extracomment>
        <translation>no capacity to work (extreme poverty support)</translation>
    </message>
    <message>
        <source>选择了“年满 60 周岁”，但申请人未满 60 周岁，请核对无劳动能力的情形</source>
        <translation>&quot;Aged 60 or over&quot; was chosen, but the applicant is under 60: check the ground of no capacity to work</translation>
    </message>
    <message>
        <source>选择了“未满 16 周岁”，但{name}已满 16 周岁（{age} 周岁），请核对无劳动能力的情形</source>
        <translation>&quot;Under 16&quot; was chosen, but {name} is 16 or older ({age}): check the ground of no capacity to work</translation>
    </message>
    <message>
        <source>{name}未满 18 周岁，不能本人签署书面声明和居民经济状况核对授权书：请添加监护人，由监护人签字</source>
        <translation>{name} is under 18 and cannot sign the written statement and the economic status check authorisation: add a guardian, who signs</translation>
    </message>
    <message>
        <source>{name}为{disability}残疾：请按残疾人证核对其中是否有智力、精神残疾一至三级，肢体残疾一、二级或视力残疾一级</source>
        <translation>{name} has a {disability} disability: check on the disability certificate whether it includes an intellectual or mental disability of grade 1–3, a physical disability of grade 1–2 or a visual disability of grade 1</translation>
    </message>
    <message>
        <source>{name}为{disability}残疾：无劳动能力的残疾限智力、精神残疾一至三级，肢体残疾一、二级和视力残疾一级（民发〔2021〕43号）</source>
        <translation>{name} has a {disability} disability: the disabilities that mean no capacity to work are intellectual or mental grades 1–3, physical grades 1–2 and visual grade 1 (民发〔2021〕43号)</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>文件 {path} 已存在，不会覆盖。请换一个文件名。</source>
        <translation>The file {path} already exists and will not be overwritten. Choose another name.</translation>
    </message>
    <message>
        <source>恢复私钥已写入 {path}：请离线保管（例如加密 U 盘放入保险柜），不要放在工作站上。</source>
        <translation>The recovery private key was written to {path}: keep it offline (e.g. on an encrypted USB stick in a safe), never on a workstation.</translation>
    </message>
    <message>
        <source>把下面这一行写入每台工作站部署文件的 [backup] 表：</source>
        <translation>Put this line into the [backup] table of every workstation&apos;s deployment file:</translation>
    </message>
    <message>
        <source>最新备份不到一天，本次未备份。</source>
        <translation>The latest backup is less than a day old; no backup was made.</translation>
    </message>
    <message>
        <source>备份已写入并核验：{path}</source>
        <translation>Backup written and checked: {path}</translation>
    </message>
    <message>
        <source>无法读取恢复私钥文件 {path}（{reason}）。</source>
        <translation>Cannot read the recovery private key file {path} ({reason}).</translation>
    </message>
    <message>
        <source>已从备份 {backup} 恢复（{rows} 条申请）。此后的编号属于第 {series} 批次（编号中带字母 {letter}）。</source>
        <translation>Restored from backup {backup} ({rows} applications). Numbers from now on belong to series {series} (with the letter {letter} in the number).</translation>
    </message>
    <message>
        <source>原来的数据库文件已移到 {path}，未删除。</source>
        <translation>The previous database file was moved to {path}, not deleted.</translation>
    </message>
    <message>
        <source>正在从中心服务器取回本工作站的记录……</source>
        <translation>Fetching this workstation&apos;s records from the central server…</translation>
    </message>
    <message>
        <source>已从中心服务器恢复本工作站的 {apps} 件申请（{events} 个事件，{docs} 份文书），均已标为已上传。此后的编号属于第 {series} 批次（编号中带字母 {letter}），已打印的编号不会重复。</source>
        <translation>Recovered {apps} applications of this workstation from the central server ({events} events, {docs} documents), all marked as uploaded. Numbers from now on belong to series {series} (with the letter {letter}), so no printed number is used again.</translation>
    </message>
    <message>
        <source>已从中心服务器取回 {n} 个材料文件（电子材料）。</source>
        <translation>{n} material files (electronic materials) fetched back from the central server.</translation>
    </message>
    <message>
        <source>注意：{missing} 个材料文件未能从中心服务器取回，{wrong} 个取回的文件与其 SHA-256 不符、未保存；办件记录完整，这些文件原件仍在中心服务器，可在后台查看。如需在本机查看，请检查网络后联系信息员。</source>
        <translation>Note: {missing} material files could not be fetched from the central server and {wrong} fetched files did not match their SHA-256 and were not kept; the case records are complete and the originals remain on the central server, viewable in the back office. To see them here, check the network and contact IT.</translation>
    </message>
    <message>
        <source>其中 {n} 件已超过本机保存期限，只保留编号和办理结果（个人信息在中心服务器和档案中）。</source>
        <translation>{n} of them are past this machine&apos;s retention period: only their numbers and outcomes are kept (the personal data is on the central server and in the archive).</translation>
    </message>
    <message>
        <source>注意：原来的数据库中有 {n} 个事件尚未上传中心服务器，仍在移出的文件中。请信息员处理后再删除该文件。</source>
        <translation>Note: {n} events of the previous database had not reached the central server; they are still in the moved file. IT: deal with them before deleting that file.</translation>
    </message>
    <message>
        <source>账号只保存在本机，未能恢复。记录中的经办人账号（{names}）已保留为不能登录的停用账号：请用 yimen user add 以同一用户名重新建立；第一个系统管理员账号用 yimen user add --role admin 建立。</source>
        <translation>Accounts live only on this machine and could not be recovered. The clerks named in the records ({names}) were kept as disabled accounts that cannot log in: create them again with yimen user add under the same user names; create the first administrator with yimen user add --role admin.</translation>
    </message>
    <message>
        <source>中心服务器已记录本次恢复，并接受了新的审计链；可用 yimen audit verify 核对。</source>
        <translation>The central server recorded this recovery and accepted the new audit chain; check it with yimen audit verify.</translation>
    </message>
    <message>
        <source>已封存：{names}</source>
        <translation>Sealed: {names}</translation>
    </message>
    <message>
        <source>已解开到 {path}：{names}</source>
        <translation>Unsealed into {path}: {names}</translation>
    </message>
</context>
<context>
    <name>config</name>
    <message>
        <source>production 或 demo</source>
        <translation>production or demo</translation>
    </message>
    <message>
        <source>9 至 12 位数字的中心代码（街道/乡镇区划代码，分中心在后加序号）</source>
        <translation>the center code of 9 to 12 digits (the street or town division code; sub-centers add a serial)</translation>
    </message>
    <message>
        <source>中心全称，如“徐汇区湖南路街道社区事务受理服务中心”</source>
        <translation>the center&apos;s full name, e.g. &quot;徐汇区湖南路街道社区事务受理服务中心&quot;</translation>
    </message>
    <message>
        <source>文书编号用的机关简称，1 至 12 个字，如“湖南路”</source>
        <translation>the office&apos;s short name used in document numbers, 1 to 12 characters, e.g. &quot;湖南路&quot;</translation>
    </message>
    <message>
        <source>所在区，如“徐汇区”</source>
        <translation>the district, e.g. &quot;徐汇区&quot;</translation>
    </message>
    <message>
        <source>中心地址（文字）</source>
        <translation>the center&apos;s address (text)</translation>
    </message>
    <message>
        <source>中心咨询电话（文字）</source>
        <translation>the center&apos;s enquiry phone number (text)</translation>
    </message>
    <message>
        <source>投诉监督电话（文字，印在受理回执和通知书上）</source>
        <translation>Complaints and supervision phone (printed on receipts and notices)</translation>
    </message>
    <message>
        <source>3 位数字的工位代码（001–999，更换机器时使用新代码，永不重复使用）</source>
        <translation>the 3-digit workstation code (001–999; a replaced machine gets a new code, never reused)</translation>
    </message>
    <message>
        <source>窗口名称，如“3号综合窗口”</source>
        <translation>the window&apos;s name, e.g. &quot;3号综合窗口&quot;</translation>
    </message>
    <message>
        <source>中心服务器地址，如 https://yimen.example.gov.cn（可留空，离线运行）</source>
        <translation>the central server&apos;s address, e.g. https://yimen.example.gov.cn (may be empty: runs offline)</translation>
    </message>
    <message>
        <source>市民查询进度的公网地址，如 https://jd.example.gov.cn（可留空）</source>
        <translation>the public address where citizens check progress, e.g. https://jd.example.gov.cn (may be empty)</translation>
    </message>
    <message>
        <source>校验中心服务器证书用的 CA 证书文件（PEM）路径（可留空，留空时使用系统信任的证书）</source>
        <translation>Path of the CA certificate file (PEM) that checks the central server&apos;s certificate (may be empty: the system&apos;s trusted certificates are used)</translation>
    </message>
    <message>
        <source>连接中心服务器使用的代理，如 http://proxy.example:3128（可留空，直连）</source>
        <translation>Proxy for connecting to the central server, e.g. http://proxy.example:3128 (may be empty: direct)</translation>
    </message>
    <message>
        <source>每批上传的事件数，10 至 500 的整数（网络很慢时可调小）</source>
        <translation>Events per upload batch, a whole number from 10 to 500 (smaller on a very slow network)</translation>
    </message>
    <message>
        <source>中心印章图样的 PNG 文件路径（相对路径以配置文件所在文件夹为准；可留空，留空时印“盖章处”框）</source>
        <translation>the path of the center&apos;s seal image (PNG; relative to the configuration file&apos;s folder; may be empty, then a seal box is printed)</translation>
    </message>
    <message>
        <source>行政复议机关全称，如“上海市徐汇区人民政府”（印在不予受理通知书上；可留空）</source>
        <translation>the full name of the administrative review body, e.g. &quot;上海市徐汇区人民政府&quot; (printed on refusal notices; may be empty)</translation>
    </message>
    <message>
        <source>行政诉讼的人民法院全称，如“上海市徐汇区人民法院”（印在不予受理通知书上；可留空）</source>
        <translation>the full name of the people&apos;s court for administrative suits, e.g. &quot;上海市徐汇区人民法院&quot; (printed on refusal notices; may be empty)</translation>
    </message>
    <message>
        <source>作出受理和不予受理决定的机关全称，如本中心、“徐汇区湖南路街道办事处”或承办部门（署名印在通知书上；可留空，留空时为中心全称）</source>
        <translation>the full name of the body that decides to accept or refuse, e.g. this center, &quot;徐汇区湖南路街道办事处&quot; or the department (printed as the signature on notices; may be empty: the center&apos;s full name)</translation>
    </message>
    <message>
        <source>受理回执的纸张：a4（A4 纸）或 thermal80（80 毫米热敏卷纸）</source>
        <translation>the receipt&apos;s paper: a4 (A4 sheet) or thermal80 (80 mm thermal roll)</translation>
    </message>
    <message>
        <source>热敏回执上的印章：line（黑色线条印章）或 none（不印印章，留“盖章处”框）</source>
        <translation>the seal on thermal receipts: line (a black line-art seal) or none (no seal, a box to stamp)</translation>
    </message>
    <message>
        <source>打印受理回执的打印机名称（留空为系统默认打印机）</source>
        <translation>the printer for receipts (empty: the system&apos;s default printer)</translation>
    </message>
    <message>
        <source>打印补正、不予受理和预审告知书（A4）的打印机名称（留空为系统默认打印机）</source>
        <translation>the printer for correction, refusal and pre-check notices (A4) (empty: the system&apos;s default printer)</translation>
    </message>
    <message>
        <source>打印申请表（A4）的打印机名称（留空为系统默认打印机）</source>
        <translation>the printer for application forms (A4) (empty: the system&apos;s default printer)</translation>
    </message>
    <message>
        <source>通知书每次打印的份数，1 至 5 的整数（一份交申请人，一份签收后存档时设为 2）</source>
        <translation>copies of each notice per print, a whole number from 1 to 5 (2 when one goes to the applicant and a signed one is filed)</translation>
    </message>
    <message>
        <source>信息员恢复密钥的公钥（age1 开头，由 yimen recovery-key new 生成；私钥离线保管）。备份同时加密给本机和此公钥，本机密钥丢失时仍可用私钥恢复。生产模式必填</source>
        <translation>IT&apos;s recovery public key (starts with age1; made by yimen recovery-key new; the private key is kept offline). Backups are encrypted to this machine and to this key, so they can be restored with the private key if the machine&apos;s key is lost. Required in production</translation>
    </message>
    <message>
        <source>数据文件夹中最多保留几份备份，2 至 60 的整数（最新一份总会保留）</source>
        <translation>how many backups the data folder keeps at most, a whole number from 2 to 60 (the newest is always kept)</translation>
    </message>
    <message>
        <source>全部备份最多占用多少 MB，100 至 1000000 的整数（最新一份总会保留）</source>
        <translation>how many MB all backups may take at most, a whole number from 100 to 1000000 (the newest is always kept)</translation>
    </message>
    <message>
        <source>已办结且中心服务器已确认收到的申请，最后一次变动多少天后从本机清除个人信息，30 至 3650 的整数（中心服务器和档案保存原件；见 docs/privacy.md）</source>
        <translation>days after its last change that a finished application acknowledged by the central server has its personal data removed from this machine, a whole number from 30 to 3650 (the central server and the archive keep the originals; see docs/privacy.md)</translation>
    </message>
    <message>
        <source>中心服务器已确认收到的同步事件，多少天后从本机删除其内容（只保留记录和校验值），14 至 3650 的整数；不得少于中心服务器的恢复期 14 天（见 docs/reliability.md“Pruning”）</source>
        <translation>Days after the central server acknowledged a sync event before its content is deleted from this machine (the record and its checksum stay): a whole number from 14 to 3650, not less than the central server&apos;s 14-day recovery window (see docs/reliability.md &quot;Pruning&quot;)</translation>
    </message>
    <message>
        <source>中心服务器已收到的文书 PDF，出具或最后一次打印多少天后从本机删除（补打时从中心服务器取回原件），1 至 3650 的整数</source>
        <translation>Days after a document PDF the central server holds was issued or last printed before it is deleted from this machine (a reprint fetches the original from the central server): a whole number from 1 to 3650</translation>
    </message>
    <message>
        <source>差评后几个工作日内要回访联系评价人，1 至 30 的整数（按本地好差评制度填写；见 docs/ratings.md）</source>
        <translation>working days after a bad rating within which the rater must be called back, a whole number from 1 to 30 (as the local citizen-rating rules require; see docs/ratings.md)</translation>
    </message>
    <message>
        <source>差评后几个工作日内要完成整改并反馈，1 至 60 的整数（按本地好差评制度填写）</source>
        <translation>working days after a bad rating within which rectification and feedback must be completed, a whole number from 1 to 60 (as the local citizen-rating rules require)</translation>
    </message>
    <message>
        <source>评价器显示在哪里：auto（有第二块屏幕时显示在面向群众的屏幕上，否则弹出对话框）或 dialog</source>
        <translation>where the rating panel appears: auto (on the citizen-facing second screen when there is one, otherwise as a dialog) or dialog</translation>
    </message>
    <message>
        <source>全中心统计中，受理窗口多少分钟没有成功上传即标出提醒，5 至 10080 的整数</source>
        <translation>minutes without a successful upload before a counter window is flagged in the whole-center figures, a whole number from 5 to 10080</translation>
    </message>
    <message>
        <source>界面语言：zh_CN 或 en</source>
        <translation>the interface language: zh_CN or en</translation>
    </message>
    <message>
        <source>连续登录失败几次后锁定账号，3 至 20 的整数</source>
        <translation>failed log-ins in a row before an account is locked, a whole number from 3 to 20</translation>
    </message>
    <message>
        <source>账号锁定的分钟数，1 至 1440 的整数</source>
        <translation>minutes an account stays locked, a whole number from 1 to 1440</translation>
    </message>
    <message>
        <source>无键盘鼠标操作多少分钟后锁定受理窗口，1 至 120 的整数；0 为不自动锁定（Ctrl+L 仍可随时锁定）</source>
        <translation>minutes without keyboard or mouse before the counter window locks, a whole number from 1 to 120; 0 never locks automatically (Ctrl+L still locks at any time)</translation>
    </message>
    <message>
        <source>身份证读卡器：none（不用读卡器）、sdk（厂商开发包）、wedge（键盘输入方式的读卡器）或 simulator（模拟读卡器，仅演示模式）</source>
        <translation>ID card reader: none, sdk (the vendor&apos;s library), wedge (a reader in keyboard mode) or simulator (demo mode only)</translation>
    </message>
    <message>
        <source>厂商开发包的接口：termb（InitComm/Authenticate/Read_Content）或 sdt（公安部 SDT_* 接口）</source>
        <translation>The vendor library&apos;s interface: termb (InitComm/Authenticate/Read_Content) or sdt (the Ministry of Public Security SDT_* interface)</translation>
    </message>
    <message>
        <source>厂商读卡库文件（.dll 或 .so）的路径（相对路径以配置文件所在文件夹为准；driver = sdk 时必填）</source>
        <translation>Path of the vendor&apos;s reader library (.dll or .so), relative to the deployment file&apos;s folder; required with driver = sdk</translation>
    </message>
    <message>
        <source>读卡库文件的 SHA-256 校验值（64 位十六进制；driver = sdk 时必填，文件不符即拒绝加载）</source>
        <translation>SHA-256 of the reader library (64 hex digits; required with driver = sdk; a different file is refused)</translation>
    </message>
    <message>
        <source>sdt 接口解码照片的 wltrs 库路径（可留空，留空时不读照片；相对路径以配置文件所在文件夹为准）</source>
        <translation>Path of the wltrs library that decodes the photo for sdt (may be empty: then no photo is read), relative to the deployment file&apos;s folder</translation>
    </message>
    <message>
        <source>wltrs 库文件的 SHA-256 校验值（填写 photo_library 时必填）</source>
        <translation>SHA-256 of the wltrs library (required with photo_library)</translation>
    </message>
    <message>
        <source>读卡器端口：USB 为 1001 至 1016，串口为 1 至 16</source>
        <translation>Reader port: 1001–1016 for USB, 1–16 for serial</translation>
    </message>
    <message>
        <source>高拍仪：auto（有摄像设备时可拍照附加）、off（不使用），或设备名称中的一段文字（有多个摄像设备时指定一个）</source>
        <translation>Document camera: auto (pictures can be attached when a camera is present), off (not used), or part of the device&apos;s name (to choose one of several cameras)</translation>
    </message>
    <message>
        <source>扫描仪保存扫描件的文件夹：新扫描件出现后可一键附加到当前材料；留空为不使用</source>
        <translation>The folder the scanner saves into: a new scan there can be attached to the current material with one key; empty: not used</translation>
    </message>
    <message>
        <source>单个材料文件的大小上限（MB，图片按缩小后计），1 至 100 的整数</source>
        <translation>The largest material file in MB (an image counts after downscaling), a whole number from 1 to 100</translation>
    </message>
    <message>
        <source>材料图片长边缩小到多少像素（A4 按 300 dpi 为 3508），1000 至 10000 的整数</source>
        <translation>The long side material images are downscaled to, in pixels (A4 at 300 dpi: 3508), a whole number from 1000 to 10000</translation>
    </message>
    <message>
        <source>本窗口是否有签名板或可签名的触摸屏：on（受理前请群众在屏幕上签名）或 off（在纸上签名）</source>
        <translation>Whether this counter has a signature pad or a touch screen to sign on: on (citizens sign on screen before 受理) or off (they sign the paper)</translation>
    </message>
    <message>
        <source>签名框显示在哪里：counter（受理人员的屏幕）或 citizen（面向群众的第二块屏幕，适用于群众一侧的触摸屏；没有第二块屏幕时仍显示在受理人员的屏幕上）</source>
        <translation>where the signature pad opens: counter (the clerk's screen) or citizen (the second screen facing the citizen, for a touch screen on their side; without a second screen it opens on the clerk's)</translation>
    </message>
    <message>
        <source>多少毫秒查看一次读卡器上有没有证件，100 至 2000 的整数</source>
        <translation>How often to look for a card on the reader, in milliseconds (an integer from 100 to 2000)</translation>
    </message>
    <message>
        <source>配置文件 {path} 中的设置“{key}”{problem}，应为：{expected}。请信息员修改该文件后重新启动。</source>
        <translation>Setting &quot;{key}&quot; in the configuration file {path} {problem}; it should be: {expected}. IT: correct the file and restart.</translation>
    </message>
    <message>
        <source>找不到配置文件 {path}。请信息员按安装说明创建该文件，或用 --config 指定配置文件。</source>
        <translation>The configuration file {path} was not found. IT: create it as the installation guide says, or name one with --config.</translation>
    </message>
    <message>
        <source>{first}（另有 {more} 处问题：用 yimen config check {path} 可一并列出。）</source>
        <translation>{first} ({more} more problems: yimen config check {path} lists them all.)</translation>
    </message>
    <message>
        <source>{path} 是一个文件夹，不是配置文件。请信息员指定其中的 yimen.toml 文件。</source>
        <extracomment>The tables a deployment file may hold (a typo in a table&apos;s name is named as such).</extracomment>
        <translation>{path} is a folder, not a configuration file. IT: name the yimen.toml file in it.</translation>
    </message>
    <message>
        <source>新的数据文件夹 {new} 和旧的数据文件夹 {old} 中都有数据库，程序不会覆盖任何一个。请信息员确认本工位在用的是哪一个，把另一个移走（不要删除）后再启动。</source>
        <extracomment>Days an acknowledged event&apos;s payload and an issued PDF stay on the workstation (app/pruning.py). Who decides at this counter (printed as the 署名 of notices): the centre, the 街道办事处 or the department. The seal of an 80 mm receipt: &quot;line&quot; (black line-art, drawn) or &quot;none&quot; (the 盖章处 box). 差评 follow-up deadlines in working days after the rating (local rules differ: docs/ratings.md). Where the citizen rates: &quot;auto&quot; (a second screen when there is one, else a dialog) or &quot;dialog&quot;. A workstation of the center silent (no successful push) for longer is highlighted in the center&apos;s figures. A signature pad at this counter (``[signatures] pad = &quot;on&quot;``): the signers an item names sign before 受理. Where the pad&apos;s dialog opens (``[signatures] screen``): &quot;counter&quot;, or &quot;citizen&quot; (the second screen, when there is one: a touch screen facing the citizen). The document camera (``[materials] camera``): &quot;auto&quot;, &quot;off&quot;, or a part of the device&apos;s description. The scanner&apos;s output folder whose new files are offered to the current material line (None: none). What a material&apos;s file may be (app/attachments.py). The machine-wide data folder on Linux (FHS 3.0 §5.8: variable state of an application lives in /var/lib). The store&apos;s file name in the data folder (db.engine.DB_FILE_NAME, repeated: app.config stays light to import). The note left in the old data folder once its content has moved.</extracomment>
        <translation>Both the new data folder {new} and the old data folder {old} hold a database; neither is overwritten. IT: find out which one this workstation uses, move the other away (do not delete it) and start again.</translation>
    </message>
    <message>
        <source>无法把旧的数据文件夹 {old} 移到 {new}（{reason}）。数据仍在原处；请信息员检查两个文件夹的权限和空间后重新启动。</source>
        <translation>Cannot move the old data folder {old} to {new} ({reason}). The data is still where it was; IT: check both folders&apos; permissions and free space, then start again.</translation>
    </message>
    <message>
        <source>配置文件 {path} 是空的。请信息员按安装说明中的样例（yimen.toml.template）填写。</source>
        <translation>The configuration file {path} is empty. IT: fill it in after the sample of the installation guide (yimen.toml.template).</translation>
    </message>
    <message>
        <source>配置文件 {path} 第 {line} 行第 {column} 列格式错误，不是正确的 TOML（{reason}）。请信息员按安装说明中的样例修改该行。</source>
        <translation>The configuration file {path} is not valid TOML at line {line}, column {column} ({reason}). IT: correct that line after the sample of the installation guide.</translation>
    </message>
    <message>
        <source>无法读取配置文件 {path}（{reason}）。请信息员检查文件权限。</source>
        <translation>Cannot read the configuration file {path} ({reason}). IT: check the file&apos;s permissions.</translation>
    </message>
    <message>
        <source>已不再使用，可删除（32 位和 64 位读卡库都由本程序自带的读卡辅助程序加载）；填写的值会被忽略</source>
        <translation>no longer used and can be deleted (32-bit and 64-bit reader libraries are both loaded by this program&apos;s own reader bridge); a value given is ignored</translation>
    </message>
    <message>
        <source>配置文件 {path} 不是 UTF-8 编码。请信息员以 UTF-8 编码另存该文件。</source>
        <translation>The configuration file {path} is not UTF-8. IT: save it again as UTF-8.</translation>
    </message>
    <message>
        <source>配置文件 {path} 格式错误（{reason}）。请信息员按安装说明中的样例修改。</source>
        <translation>The configuration file {path} has a format error ({reason}). IT: correct it after the sample in the installation guide.</translation>
    </message>
    <message>
        <source>承办部门全称，如“徐汇区民政局”（印在受理回执上）</source>
        <translation>the department&apos;s full name, e.g. &quot;徐汇区民政局&quot; (printed on receipts)</translation>
    </message>
    <message>
        <source>该部门事项的行政复议机关全称（可留空，留空时用 [documents] 的设置）</source>
        <translation>the full name of the administrative review body for this department&apos;s items (may be empty: the [documents] setting is used)</translation>
    </message>
    <message>
        <source>该部门事项的行政诉讼人民法院全称（可留空，留空时用 [documents] 的设置）</source>
        <translation>the full name of the people&apos;s court for this department&apos;s items (may be empty: the [documents] setting is used)</translation>
    </message>
    <message>
        <source>{key}（{req}）：{expected}</source>
        <translation>{key} ({req}): {expected}</translation>
    </message>
</context>
<context>
    <name>crash</name>
    <message>
        <source>（未写入日志文件）</source>
        <translation>(no log file)</translation>
    </message>
    <message>
        <source>程序出错</source>
        <translation>Internal error</translation>
    </message>
    <message>
        <source>程序遇到了一个内部错误。已保存的记录不受影响；正在录入的内容可能没有保存，请核对后重新提交。如果反复出现，请通知信息员，并告知日志文件：{path}</source>
        <translation>The program met an internal error. Saved records are safe; what was being typed may not be saved, so check it and submit again. If it happens again, tell IT and give them the log file: {path}</translation>
    </message>
</context>
<context>
    <name>dayclose</name>
    <message>
        <source>{n} 个事件尚未上传（下次同步时上传）。</source>
        <extracomment>What fetches the server&apos;s side of a day (``SyncClient.reconciliation`` through the sync credential). Differences a sync explains by itself; every other one needs looking into. How many events it concerns (for UNKNOWN_HERE: the events the server holds). The server&apos;s reasons for refused events.</extracomment>
        <translation>{n} event(s) not uploaded yet (they are uploaded at the next sync).</translation>
    </message>
    <message>
        <source>{n} 个事件被中心服务器拒收：{reason}</source>
        <translation>{n} event(s) refused by the central server: {reason}</translation>
    </message>
    <message>
        <source>服务器上没有这件申请，而本机记录 {n} 个事件已上传并确认。</source>
        <translation>The server does not have this application, although this machine has {n} event(s) of it uploaded and acknowledged.</translation>
    </message>
    <message>
        <source>本机已上传并确认的事件中有 {n} 个服务器上没有（服务器 {server} 个，本机 {local} 个）。</source>
        <translation>{n} event(s) uploaded and acknowledged from this machine are missing on the server (server {server}, this machine {local}).</translation>
    </message>
    <message>
        <source>本机没有这件申请，服务器上有（{n} 个事件）。</source>
        <translation>This machine does not have this application; the server does ({n} event(s)).</translation>
    </message>
    <message>
        <source>服务器上的事件比本机多 {n} 个（服务器 {server} 个，本机 {local} 个）。</source>
        <translation>The server has {n} more event(s) than this machine (server {server}, this machine {local}).</translation>
    </message>
    <message>
        <source>未能与中心服务器核对：{problem}</source>
        <extracomment>How many of them the server holds (the records this store lost are still there). The day went on in this series after an earlier one (a restore or recovery): shown, not a gap. The day&apos;s applications held here (purged ones included). Events of the day&apos;s applications not acknowledged yet / refused by the server. Why the server could not be asked (offline, not enrolled, refused), in Chinese. The day&apos;s close as the server holds it, when it arrived.</extracomment>
        <translation>Could not check against the central server: {problem}</translation>
    </message>
    <message>
        <source>服务器无法连接</source>
        <translation>the server could not be reached</translation>
    </message>
    <message>
        <source>编号不连续，缺 {n} 个号：{numbers}</source>
        <translation>The numbers are not continuous; {n} missing: {numbers}</translation>
    </message>
    <message>
        <source>{n} 个事件尚未上传</source>
        <translation>{n} event(s) not uploaded yet</translation>
    </message>
    <message>
        <source>{n} 个事件被中心服务器拒收</source>
        <translation>{n} event(s) refused by the central server</translation>
    </message>
    <message>
        <source>{n} 件申请与服务器不一致：{numbers}</source>
        <translation>{n} application(s) differ from the server: {numbers}</translation>
    </message>
    <message>
        <source>本工位未配置中心服务器。</source>
        <translation>No central server is configured for this workstation.</translation>
    </message>
    <message>
        <source>中心服务器答复的不是本工位本日的记录，未能核对。</source>
        <translation>The central server answered with records that are not this workstation&apos;s for this day; they could not be checked.</translation>
    </message>
    <message>
        <source>{day} 还没有到，不能日结。只能日结今天或以前的日期。</source>
        <translation>{day} has not come yet and cannot be closed. Only today or an earlier day can be closed.</translation>
    </message>
    <message>
        <source>日结原因中请不要写证件号码。</source>
        <translation>Do not write ID numbers in the reason for the day close.</translation>
    </message>
    <message>
        <source>日结须由值班长本人输入自己的密码确认。</source>
        <translation>The supervisor must confirm the day close with their own password.</translation>
    </message>
    <message>
        <source>本日还有未了结的事项：{items}。请写明原因后再日结。</source>
        <translation>Items are still open for this day: {items}. Give the reason, then close the day.</translation>
    </message>
    <message>
        <source>{day} 已经日结。</source>
        <translation>{day} is already closed.</translation>
    </message>
    <message>
        <source>对账之后本日又有新的办件，请重新对账后再日结。</source>
        <translation>New cases came in for this day after the reconciliation; reconcile again, then close the day.</translation>
    </message>
    <message>
        <source>请填写接收材料的部门。</source>
        <translation>Enter the department that receives the materials.</translation>
    </message>
    <message>
        <source>交接单上至少要有一件办件。</source>
        <translation>A materials handover list needs at least one case.</translation>
    </message>
    <message>
        <source>一张交接单最多 {n} 件办件，请分成几张交接单。</source>
        <translation>A materials handover list holds at most {n} cases; split them over several lists.</translation>
    </message>
    <message>
        <source>找不到办件编号为 {no} 的办件，请核对编号。</source>
        <extracomment>Paper handed over (原件收取, 复印件收取), in checklist order. Seen but not handed over (原件核验（已退还）, 电子证照核验). Still owed by a 容缺受理 / 先行救助 case (comes later, on the list of the day it is brought). 申请人, or 当事人 for the two parties of a marriage pre-check (the applicant line names the first). Owed materials brought on the day, for a case accepted earlier (only they are handed over). The recorded 材料交接单 the case is on (its number), if any. The cases whose paper is still to be handed over (or, for a recorded list, the paper it covers). The cases whose paper is all on recorded lists (``handover_no``): not printed again. Accepted cases with nothing kept (无纸质材料移交): no paper leaves the centre, nothing to record. The record, when this is a recorded list read back (``recorded_list``); None for the list still to go. Read for a chosen set of applications rather than a day. The 部门 the list is meant for before it is recorded (its full name, as the window chose it), if known. The recorded lists of a case, oldest first: (handed_at, number).</extracomment>
        <translation>No case with case no. {no} was found. Check the number.</translation>
    </message>
    <message>
        <source>办件 {no} 不是已受理的办件，没有要移交后台的材料。</source>
        <translation>Case {no} was not accepted, so it has no materials to pass to the back office.</translation>
    </message>
    <message>
        <source>办件 {no} 没有收取任何材料（原件已退还或电子证照核验），无需交接。</source>
        <translation>Case {no} kept no materials (originals were returned or checked as e-licences); there is nothing to hand over.</translation>
    </message>
    <message>
        <source>办件 {no} 的材料已在交接单 {list} 上，不能再次交接。</source>
        <translation>The materials of case {no} are already on handover list {list} and cannot be handed over again.</translation>
    </message>
    <message>
        <source>{day} 已于 {at} 由 {name} 日结，不能再次日结。</source>
        <translation>{day} was closed by {name} at {at} and cannot be closed again.</translation>
    </message>
    <message>
        <source>找不到编号为 {no} 的交接单。</source>
        <translation>No handover list numbered {no} was found.</translation>
    </message>
</context>
<context>
    <name>decisions</name>
    <message>
        <source>预审通过</source>
        <translation>Pre-check passed</translation>
    </message>
    <message>
        <source>材料不全（一次性告知）</source>
        <translation>Materials incomplete (one-time notice)</translation>
    </message>
    <message>
        <source>不符合登记条件</source>
        <translation>Does not qualify for registration</translation>
    </message>
    <message>
        <source>答复</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>一次性补正告知</source>
        <translation>One-time notice of missing materials</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <source>容缺受理</source>
        <translation>Accept with materials owed</translation>
    </message>
    <message>
        <source>先行救助</source>
        <translation>Help first</translation>
    </message>
</context>
<context>
    <name>demo</name>
    <message>
        <source>演示数据只能在演示模式下写入（部署文件 deployment.mode = &quot;demo&quot;）。</source>
        <translation>Demo data can only be written in demo mode (deployment.mode = &quot;demo&quot;).</translation>
    </message>
</context>
<context>
    <name>documents</name>
    <message>
        <source>找不到或无法读取文书字体 {path}（{reason}）。请信息员重新安装本程序（开发环境请运行 make fonts）。</source>
        <translation>The document font {path} is missing or unreadable ({reason}). Ask IT to reinstall Yimen (in a development tree, run make fonts).</translation>
    </message>
    <message>
        <source>受理回执</source>
        <translation>Acceptance receipt</translation>
    </message>
    <message>
        <source>补正材料通知书</source>
        <translation>Notice of missing materials</translation>
    </message>
    <message>
        <source>不予受理通知书</source>
        <translation>Notice of refusal</translation>
    </message>
    <message>
        <source>预审告知单</source>
        <translation>Pre-check notice</translation>
    </message>
    <message>
        <source>申请表</source>
        <translation>Application form</translation>
    </message>
    <message>
        <source>答复单</source>
        <translation>Answer slip</translation>
    </message>
    <message>
        <source>无法读取印章图样 {path}（{reason}）：文书将印“盖章处”框。请信息员检查该文件。</source>
        <extracomment>Who decides (the 署名 of notices); empty: the centre. 承办部门 by the catalog&apos;s short name (``[departments.&quot;民政&quot;]``): full name, 复议机关, court. 80 mm receipts: &quot;line&quot; (black line-art seal drawn as vectors) or &quot;none&quot; (the 盖章处 box). Copies of each notice printed (``printing.notice_copies``): from 2 on, the notice says where each goes.</extracomment>
        <translation>Cannot read the seal image {path} ({reason}): documents print a seal box instead. Ask IT to check the file.</translation>
    </message>
    <message>
        <source>印章图样 {path} 不是 2 MB 以内的 PNG 图片：文书将印“盖章处”框。请信息员更换该文件。</source>
        <translation>The seal image {path} is not a PNG of at most 2 MB: documents print a seal box instead. Ask IT to replace the file.</translation>
    </message>
    <message>
        <source>中心服务器返回的文书与本机存档的校验值（SHA-256）不符，已拒绝，没有打印。请通知信息员检查中心服务器。</source>
        <translation>The document the central server returned does not match this machine&apos;s stored checksum (SHA-256); it was refused and nothing was printed. Tell IT to check the central server.</translation>
    </message>
    <message>
        <source>该文书的原件已超过本机保存期限，且未能从中心服务器取回；该申请在此文书生成后又有变更，无法依据现有记录重新生成与原件内容一致的文书。请在能连接中心服务器时再补打，或联系信息员。</source>
        <translation>The original of this document is past this workstation&apos;s retention period and could not be fetched from the central server; the application changed after the document was made, so a document with the original&apos;s content cannot be drawn again from the current record. Reprint when the central server can be reached, or contact IT.</translation>
    </message>
    <message>
        <source>补打须写明原因（至少 {n} 个字），如“申请人遗失回执”。</source>
        <translation>A reprint needs a reason (at least {n} characters), e.g. &quot;applicant lost the receipt&quot;.</translation>
    </message>
    <message>
        <source>补打原因中请不要写证件号码。</source>
        <translation>Do not write ID numbers in the reason for a reprint.</translation>
    </message>
    <message>
        <source>找不到该申请，文书未保存。</source>
        <translation>Application not found; the documents were not stored.</translation>
    </message>
    <message>
        <source>找不到办件编号为 {no} 的申请，请核对编号。</source>
        <translation>No application with case no. {no} was found. Check the number.</translation>
    </message>
    <message>
        <source>找不到该文书。</source>
        <translation>Document not found.</translation>
    </message>
    <message>
        <source>申请 {no} 没有{label}（已有文书：{have}）。</source>
        <translation>Application {no} has no {label} (documents it has: {have}).</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>磁盘空间已满，记录没有保存。请通知信息员清理磁盘后重试，已保存的记录不受影响。</source>
        <translation>The disk is full; the record was not saved. Ask IT to free space, then try again. Saved records are safe.</translation>
    </message>
    <message>
        <source>数据库正被其他程序占用，请稍后重试；如持续出现请通知信息员。</source>
        <translation>The database is busy with another program. Try again shortly; tell IT if it persists.</translation>
    </message>
    <message>
        <source>数据库文件已损坏，不能继续使用。请停止在本机受理，通知信息员从备份恢复，不要删除该文件。</source>
        <translation>The database file is damaged and cannot be used. Stop taking applications on this machine and ask IT to restore from a backup; do not delete the file.</translation>
    </message>
    <message>
        <source>无法打开数据库文件。请通知信息员检查数据文件夹的权限，以及磁盘是否只读。</source>
        <translation>Cannot open the database file. Ask IT to check the data folder&apos;s permissions and whether the disk is read-only.</translation>
    </message>
    <message>
        <source>数据文件夹只读，记录没有保存。请通知信息员检查数据文件夹的权限。</source>
        <translation>The data folder is read-only; the record was not saved. Ask IT to check its permissions.</translation>
    </message>
    <message>
        <source>数据库出错，记录没有保存。请重试；如持续出现请通知信息员。</source>
        <translation>A database error; the record was not saved. Try again; tell IT if it persists.</translation>
    </message>
    <message>
        <source>数据文件夹 {path} 所在磁盘已满。请通知信息员清理磁盘后重试，已保存的记录不受影响。</source>
        <translation>The disk of the data folder {path} is full. Ask IT to free space, then try again; saved records are not affected.</translation>
    </message>
    <message>
        <source>数据文件夹 {path} 所在磁盘为只读，无法保存记录。请通知信息员检查磁盘。</source>
        <translation>The disk of the data folder {path} is read-only: records cannot be saved. Ask IT to check the disk.</translation>
    </message>
    <message>
        <source>数据文件夹 {path} 的位置上是一个文件，不是文件夹。请通知信息员检查部署设置中的数据文件夹，不要删除该文件。</source>
        <translation>There is a file, not a folder, where the data folder {path} should be. Ask IT to check the data folder in the deployment settings; do not delete that file.</translation>
    </message>
    <message>
        <source>没有权限使用数据文件夹 {path}。请通知信息员检查该文件夹的权限（本机用户须属于 yimen 组）。</source>
        <translation>No permission to use the data folder {path}. Ask IT to check its permissions (the user must belong to the yimen group).</translation>
    </message>
    <message>
        <source>无法使用数据文件夹 {path}。请通知信息员检查该文件夹和磁盘。</source>
        <translation>Cannot use the data folder {path}. Ask IT to check the folder and the disk.</translation>
    </message>
    <message>
        <source>所填内容超出可保存和上传的范围，记录没有保存。请检查较长或含特殊字符的内容后重试；如反复出现请通知信息员。</source>
        <extracomment>``session.info`` key under which app/security/audit.py leaves the highest audit position it wrote. The store&apos;s identity once app/integrity.py checked it (None for a store opened without the checks). What keeps the vault&apos;s marker in step with this store (app/integrity.py ``StoreGuard``; None without).</extracomment>
        <translation>Something entered is beyond what can be saved and uploaded; the record was not saved. Check long entries or unusual characters and try again; if it keeps happening, tell IT.</translation>
    </message>
</context>
<context>
    <name>fields</name>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>如 2025-07-01</source>
        <translation>e.g. 2025-07-01</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>18 位身份号码</source>
        <translation>18-character ID number</translation>
    </message>
    <message>
        <source>手机或带区号的固定电话</source>
        <translation>Mobile, or landline with area code</translation>
    </message>
    <message>
        <source>20 位残疾人证号</source>
        <translation>20-character disability certificate no.</translation>
    </message>
    <message>
        <source>按数字键选择，0 清除</source>
        <translation>Press a digit to choose, 0 to clear</translation>
    </message>
    <message>
        <source>出生 {date}</source>
        <translation>born {date}</translation>
    </message>
    <message>
        <source>{age} 岁</source>
        <translation>{age} years</translation>
    </message>
    <message>
        <source>发证地 {region}</source>
        <translation>Issued in {region}</translation>
    </message>
    <message>
        <source>将登记为：{name}</source>
        <translation>Will be stored as: {name}</translation>
    </message>
</context>
<context>
    <name>idcard</name>
    <message>
        <source>找不到读卡辅助程序 {path}（用于加载 {bits} 位的读卡库）。请信息员重新安装本程序；现在请手工录入。</source>
        <extracomment>Where a source checkout keeps its bridges, below the checkout (installer/build_bridge.py CHECKOUT_FOLDER). The protocol version the bridge answers ``hello`` with (PROTOCOL in bridge.c). How long :meth:`Bridge.close` waits for the bridge to end before killing it.</extracomment>
        <translation>The card reader bridge {path} (for {bits}-bit reader libraries) is missing. Ask IT to reinstall the program; enter the details by hand for now.</translation>
    </message>
    <message>
        <source>无法运行读卡辅助程序 {path}（{bits} 位）。请信息员重新安装本程序；Linux 上加载 32 位读卡库还需安装 32 位运行库 libc6-i386。现在请手工录入。</source>
        <translation>The card reader bridge {path} ({bits}-bit) cannot run. Ask IT to reinstall the program; on Linux a 32-bit reader library also needs the 32-bit runtime libc6-i386. Enter the details by hand for now.</translation>
    </message>
    <message>
        <source>读卡辅助程序无法处理这个请求。请重新登录；仍不行请手工录入。</source>
        <translation>The card reader helper could not handle this request. Log in again; if that fails, enter the details by hand.</translation>
    </message>
    <message>
        <source>读卡辅助程序意外退出。请重新插拔读卡器后重新登录；现在请手工录入。</source>
        <translation>The card reader helper stopped unexpectedly. Unplug and replug the reader, then log in again; enter the details by hand for now.</translation>
    </message>
    <message>
        <source>找不到读卡库文件 {path}。请信息员检查部署文件中的 idcard.library；现在请手工录入。</source>
        <extracomment>The bitness of this process.</extracomment>
        <translation>The card reader library {path} was not found. Ask IT to check idcard.library in the deployment file; enter the details by hand for now.</translation>
    </message>
    <message>
        <source>读卡库文件 {path} 的校验值与部署文件中登记的不符，已拒绝加载。请信息员核实该文件后更新 idcard.library_sha256；现在请手工录入。</source>
        <translation>The checksum of the card reader library {path} does not match the deployment file, so it was not loaded. Ask IT to verify the file and update idcard.library_sha256; enter the details by hand for now.</translation>
    </message>
    <message>
        <source>读卡库文件 {path} 不是可加载的库文件（.dll 或 .so）。请信息员检查 idcard.library。</source>
        <translation>{path} is not a loadable library (.dll or .so). Ask IT to check idcard.library.</translation>
    </message>
    <message>
        <source>读卡库文件 {path} 无法加载。请信息员检查读卡器驱动是否已安装；现在请手工录入。</source>
        <translation>The card reader library {path} could not be loaded. Ask IT to check that the reader&apos;s driver is installed; enter the details by hand for now.</translation>
    </message>
    <message>
        <source>居民身份证</source>
        <extracomment>The card types&apos; names for the screen (the values, marked for translation).</extracomment>
        <translation>Resident identity card</translation>
    </message>
    <message>
        <source>港澳台居民居住证</source>
        <translation>Residence permit for Hong Kong, Macao and Taiwan residents</translation>
    </message>
    <message>
        <source>外国人永久居留身份证</source>
        <translation>Foreign permanent resident ID card</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>未说明</source>
        <translation>Not stated</translation>
    </message>
    <message>
        <source>读卡器未连接或端口 {port} 无法打开。请检查读卡器的连接线和电源；现在请手工录入。</source>
        <translation>The card reader is not connected or port {port} cannot be opened. Check the reader&apos;s cable and power; enter the details by hand for now.</translation>
    </message>
    <message>
        <source>读卡失败。请把证件取下后重新平放在读卡器上，仍不行请手工录入。</source>
        <translation>Reading the card failed. Take the card off and lay it flat on the reader again; if that fails, enter the details by hand.</translation>
    </message>
    <message>
        <source>读卡库缺少函数 {name}，与部署文件中的接口类型不符。请信息员检查 idcard.sdk_shape。</source>
        <translation>The card reader library lacks the function {name}, so it does not match the interface type in the deployment file. Ask IT to check idcard.sdk_shape.</translation>
    </message>
    <message>
        <source>读卡器返回的证件信息无法识别。请把证件重新放上读卡器，仍不行请手工录入。</source>
        <extracomment>The 2023 永居证&apos;s number: 18 characters (the 2017 card&apos;s had 15). 民族 codes (GB/T 3304-1991) as the chip stores them, two digits.</extracomment>
        <translation>The reader returned card data that cannot be read. Place the card on the reader again; if that fails, enter the details by hand.</translation>
    </message>
    <message>
        <source>部署文件没有指定读卡库（idcard.library）。请信息员配置；现在请手工录入。</source>
        <translation>The deployment file names no card reader library (idcard.library). Ask IT to set it; enter the details by hand for now.</translation>
    </message>
    <message>
        <source>模拟读卡器只能在演示模式下使用（部署文件 deployment.mode = &quot;demo&quot;）。</source>
        <extracomment>What a real reader takes to read a card&apos;s text (about 0.1–0.3 s for the text; 1 s with the photo); the benchmark subtracts it (bench/idcard.py).</extracomment>
        <translation>The simulated card reader can only be used in demo mode (deployment.mode = &quot;demo&quot; in the deployment file).</translation>
    </message>
    <message>
        <source>这种证件（类型标识“{flag}”）暂不能由读卡器读入，请手工录入。</source>
        <translation>This kind of card (type flag “{flag}”) cannot be read by the reader yet; enter the details by hand.</translation>
    </message>
</context>
<context>
    <name>idnumber</name>
    <message>
        <source>居民身份证</source>
        <translation>resident ID card</translation>
    </message>
    <message>
        <source>港澳台居民居住证</source>
        <translation>HK/Macao/Taiwan residence permit</translation>
    </message>
    <message>
        <source>外国人永久居留身份证</source>
        <translation>foreigner&apos;s permanent residence ID</translation>
    </message>
    <message>
        <source>男</source>
        <translation>male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>female</translation>
    </message>
    <message>
        <source>地址码（前 6 位）{code} 不在行政区划代码表中。请与证件核对；核对无误可以继续办理。</source>
        <translation>The address code (first 6 digits) {code} is not in the table of region codes. Check it against the card; if it matches, carry on.</translation>
    </message>
    <message>
        <source>地址码（前 6 位）{code} 不在行政区划代码表中（{province}下没有这个代码）。请与证件核对；核对无误可以继续办理。</source>
        <translation>The address code (first 6 digits) {code} is not in the table of region codes ({province} has no such code). Check it against the card; if it matches, carry on.</translation>
    </message>
    <message>
        <source>地址码 {code}（{region}）的使用年份为 {span}，出生年份 {year} 年不在其中。号码按户籍登记时的地址编制，登记晚于出生时会出现这种情况；请与证件核对，核对无误可以继续办理。</source>
        <translation>The address code {code} ({region}) was in use {span}, not in the birth year {year}. Numbers follow the address at registration, which can be later than birth; check it against the card, and if it matches, carry on.</translation>
    </message>
    <message>
        <source>居住证的地址码应为 {expected}，这个号码是 {code}。请与证件核对；核对无误可以继续办理。</source>
        <translation>A residence permit&apos;s address code should be {expected}; this number has {code}. Check it against the card; if it matches, carry on.</translation>
    </message>
    <message>
        <source>出生日期（第 7–14 位）{digits} 有误：年份不能是 0000。</source>
        <translation>The birth date (digits 7–14) {digits} is wrong: the year cannot be 0000.</translation>
    </message>
    <message>
        <source>出生日期（第 7–14 位）{digits} 有误：没有 {month} 月。</source>
        <translation>The birth date (digits 7–14) {digits} is wrong: there is no month {month}.</translation>
    </message>
    <message>
        <source>出生日期（第 7–14 位）{digits} 有误：{year} 年不是闰年，2 月没有 29 日。</source>
        <translation>The birth date (digits 7–14) {digits} is wrong: {year} is not a leap year, February has no 29th.</translation>
    </message>
    <message>
        <source>出生日期（第 7–14 位）{digits} 有误：{month} 月没有 {day} 日（该月共 {days} 天）。</source>
        <translation>The birth date (digits 7–14) {digits} is wrong: month {month} has no day {day} (it has {days} days).</translation>
    </message>
    <message>
        <source>15 位旧号码只能由数字组成，第 {position} 位是“{char}”。</source>
        <translation>An old 15-digit number has digits only; character {position} is “{char}”.</translation>
    </message>
    <message>
        <source>请输入身份号码。</source>
        <translation>Enter the ID number.</translation>
    </message>
    <message>
        <source>身份号码应为 18 位（旧版为 15 位），现在是 {count} 位。</source>
        <translation>An ID number has 18 characters (old ones 15); this one has {count}.</translation>
    </message>
    <message>
        <source>第 {position} 位“{char}”不是数字：身份号码的前 17 位只能是数字。</source>
        <translation>Character {position} “{char}” is not a digit: the first 17 characters are digits.</translation>
    </message>
    <message>
        <source>第 18 位（校验码）只能是数字或 X，现在是“{char}”。</source>
        <translation>Character 18 (the check character) is a digit or X, not “{char}”.</translation>
    </message>
    <message>
        <source>出生日期（第 7–14 位）{date}晚于今天（{today}），号码有误。</source>
        <translation>The birth date (digits 7–14) {date} is after today ({today}): the number is wrong.</translation>
    </message>
    <message>
        <source>校验码（第 18 位）应为“{expected}”，现在是“{actual}”：号码中有输错的字符，请逐位核对。</source>
        <translation>The check character (18th) should be “{expected}”, not “{actual}”: a character was mistyped; check digit by digit.</translation>
    </message>
    <message>
        <source>这是 15 位旧号码，已按 {year} 年出生转换为 18 位号码 {number}。请与证件核对出生年份：1989 年版号码中百岁老人的出生年份可能不是 19 开头，需要人工确认。</source>
        <translation>An old 15-digit number, converted to {number} assuming birth in {year}. Check the birth year on the card: centenarians&apos; 1989 numbers may not start with 19.</translation>
    </message>
    <message>
        <source>按号码中的出生日期（{date}）计算，年龄为 {age} 岁。请与证件核对出生日期。</source>
        <translation>The birth date in the number ({date}) gives an age of {age}. Check the birth date on the card.</translation>
    </message>
    <message>
        <source>15 位旧号码应为 15 位数字，现在是“{number}”。</source>
        <translation>An old number has 15 digits; this is “{number}”.</translation>
    </message>
    <message>
        <source>15 位旧号码只能补全为 18xx 或 19xx 年出生，不能是 {century}xx 年。</source>
        <translation>An old number can only be completed to a birth in 18xx or 19xx, not {century}xx.</translation>
    </message>
    <message>
        <source>视力残疾</source>
        <translation>visual disability</translation>
    </message>
    <message>
        <source>听力残疾</source>
        <translation>hearing disability</translation>
    </message>
    <message>
        <source>言语残疾</source>
        <translation>speech disability</translation>
    </message>
    <message>
        <source>肢体残疾</source>
        <translation>physical disability</translation>
    </message>
    <message>
        <source>智力残疾</source>
        <translation>intellectual disability</translation>
    </message>
    <message>
        <source>精神残疾</source>
        <translation>mental disability</translation>
    </message>
    <message>
        <source>多重残疾</source>
        <translation>multiple disabilities</translation>
    </message>
    <message>
        <source>一级</source>
        <translation>grade 1</translation>
    </message>
    <message>
        <source>二级</source>
        <translation>grade 2</translation>
    </message>
    <message>
        <source>三级</source>
        <translation>grade 3</translation>
    </message>
    <message>
        <source>四级</source>
        <translation>grade 4</translation>
    </message>
    <message>
        <source>请输入残疾人证号。</source>
        <translation>Enter the disability certificate number.</translation>
    </message>
    <message>
        <source>残疾人证号应为 20 位（补发的证为 22 位），现在是 {count} 位。</source>
        <translation>A disability certificate number has 20 characters (22 when reissued); this one has {count}.</translation>
    </message>
    <message>
        <source>残疾人证号的前 18 位（持证人身份号码）有误：{detail}</source>
        <translation>The first 18 characters (the holder&apos;s ID number) are wrong: {detail}</translation>
    </message>
    <message>
        <source>第 19 位（残疾类别）应为 1–7（1 视力、2 听力、3 言语、4 肢体、5 智力、6 精神、7 多重），现在是“{char}”。</source>
        <translation>Character 19 (category) should be 1–7 (1 visual, 2 hearing, 3 speech, 4 physical, 5 intellectual, 6 mental, 7 multiple), not “{char}”.</translation>
    </message>
    <message>
        <source>第 20 位（残疾等级）应为 1–4（一级至四级），现在是“{char}”。</source>
        <translation>Character 20 (grade) should be 1–4, not “{char}”.</translation>
    </message>
    <message>
        <source>第 21–22 位（补发标记）应为字母 B 加 1–9 的数字，现在是“{suffix}”。</source>
        <translation>Characters 21–22 (reissue mark) should be B and a digit 1–9, not “{suffix}”.</translation>
    </message>
    <message>
        <source>残疾人证号中的身份号码与本人的身份号码不一致：这张残疾人证不属于此人，请核对证件。</source>
        <translation>The ID number in the certificate is not this person&apos;s: the certificate belongs to someone else; check the card.</translation>
    </message>
</context>
<context>
    <name>intake</name>
    <message>
        <source>找不到事项“{code}”，请重新选择事项。</source>
        <translation>Service item “{code}” not found; choose the item again.</translation>
    </message>
    <message>
        <source>事项“{name}”已退出，不能再受理新的申请。</source>
        <translation>The item “{name}” has been retired and takes no new applications.</translation>
    </message>
    <message>
        <source>请从列表中选择不予受理的理由类别。</source>
        <translation>Choose the ground of refusal from the list.</translation>
    </message>
    <message>
        <source>不属于本机关职权范围的，请写明应向哪个机关申请（告知书要写明有权机关）。</source>
        <translation>For a matter outside this office&apos;s competence, name the office to apply to (the notice must name the competent office).</translation>
    </message>
    <message>
        <source>本事项没有开启{what}，请选择受理、一次性补正告知或不予受理。</source>
        <translation>{what} is not allowed for this item; choose accept, one-time notice of missing materials or refuse.</translation>
    </message>
    <message>
        <source>本申请的情形不适用{what}，请按材料情况受理或一次性补正告知。</source>
        <translation>{what} does not apply to this case; accept or give a one-time notice of missing materials, as the materials allow.</translation>
    </message>
    <message>
        <source>材料已齐全，请直接受理。</source>
        <translation>The materials are complete: accept directly.</translation>
    </message>
    <message>
        <source>“{name}”不能{what}，须当场提交；缺少它时请选择一次性补正告知。</source>
        <translation>&quot;{name}&quot; cannot be owed under {what} and must be brought now; if it is missing, choose the one-time notice of missing materials.</translation>
    </message>
    <message>
        <source>先行救助必须写明理由（至少 {n} 个字），如火灾、事故等急难情形。</source>
        <translation>Help first needs a reason (at least {n} characters), e.g. an emergency such as a fire or an accident.</translation>
    </message>
    <message>
        <source>“{name}”是本申请必需的材料，不能标为“不需要”：请核验后勾选，或标为缺少、不合格。</source>
        <translation>&quot;{name}&quot; is required for this application and cannot be marked not needed: check it and tick it, or mark it missing or defective.</translation>
    </message>
    <message>
        <source>请写明不合格材料的问题，告知书和记录要逐项说明原因。</source>
        <translation>Say what is wrong with the defective material: the notice and the record give the reason for each.</translation>
    </message>
    <message>
        <source>“{name}”不能通过电子证照核验，请核验原件或收取复印件。</source>
        <translation>&quot;{name}&quot; cannot be checked as an electronic licence; check the original or take a copy.</translation>
    </message>
    <message>
        <source>收取份数应在 1 到 {n} 之间。</source>
        <translation>The number of copies kept should be from 1 to {n}.</translation>
    </message>
    <message>
        <source>只有收取的材料才填写份数，请去掉份数。</source>
        <translation>Only materials kept have a number of copies; remove the number.</translation>
    </message>
    <message>
        <source>请填写申请人。</source>
        <translation>Enter the applicant.</translation>
    </message>
    <message>
        <source>身份证号与第 {n} 位当事人重复。</source>
        <translation>The ID number is the same as party {n}&apos;s.</translation>
    </message>
    <message>
        <source>请填写证件号码。</source>
        <translation>Enter the ID number.</translation>
    </message>
    <message>
        <source>有需要确认的提示：{text}。请核实后勾选“已核实”再受理。</source>
        <translation>A note needs checking: {text}. Check it and tick “Verified” before accepting.</translation>
    </message>
    <message>
        <source>材料不齐，不能受理：缺少“{name}”。请选择“一次性补正告知”，列出全部缺少的材料。</source>
        <translation>Materials incomplete, cannot accept: “{name}” is missing. Choose the one-time notice and list every missing material.</translation>
    </message>
    <message>
        <source>没有标记为缺少或不合格的必需材料，无需补正；材料齐全请直接受理。</source>
        <translation>No required material is marked missing or defective: nothing to supply. Accept if everything is there.</translation>
    </message>
    <message>
        <source>本机尚未登记中心和工位信息，请重新启动程序。</source>
        <translation>This workstation&apos;s centre and window are not registered yet; restart the program.</translation>
    </message>
    <message>
        <source>不予受理必须写明理由（至少 {n} 个字）。</source>
        <translation>A refusal needs a reason (at least {n} characters).</translation>
    </message>
    <message>
        <source>该申请人已有同一事项的在办申请（{no}），请核实后确认继续。</source>
        <translation>The applicant already has an open application for this item ({no}); check and confirm to continue.</translation>
    </message>
    <message>
        <source>申请 {no} 不在待补正状态，不能办理补正。</source>
        <translation>Application {no} is not awaiting materials.</translation>
    </message>
    <message>
        <source>“{key}”不在补正告知书所列材料中，不能要求补交。</source>
        <translation>“{key}” was not listed in the notice and cannot be asked for.</translation>
    </message>
    <message>
        <source>补正告知书所列材料尚缺“{name}”，材料齐全后才能受理。</source>
        <translation>“{name}” listed in the notice is still missing; accept once everything is there.</translation>
    </message>
    <message>
        <source>一次性告知只能出具一次；请记录已交材料，或受理、不予受理。</source>
        <translation>The one-time notice can be issued only once; record what was brought, then accept or refuse.</translation>
    </message>
    <message>
        <source>补正后请选择受理或不予受理。</source>
        <translation>After the materials are brought, choose accept or refuse.</translation>
    </message>
    <message>
        <source>请勾选申请人这次带来的材料。</source>
        <translation>Tick the materials the applicant brought this time.</translation>
    </message>
    <message>
        <source>办件 {no} 没有待补交的容缺或先行救助材料。</source>
        <translation>Case {no} owes no materials under 容缺受理 or 先行救助.</translation>
    </message>
    <message>
        <source>“{key}”不是本办件待补交的材料。</source>
        <translation>&quot;{key}&quot; is not a material this case owes.</translation>
    </message>
    <message>
        <source>申请 {no} 已作废，不能更正。</source>
        <translation>Application {no} is voided and cannot be corrected.</translation>
    </message>
    <message>
        <source>申请 {no} 已经作废。</source>
        <translation>Application {no} is already voided.</translation>
    </message>
    <message>
        <source>找不到办件编号为 {no} 的申请，请核对编号。</source>
        <translation>No application with case no. {no} was found. Check the number.</translation>
    </message>
    <message>
        <source>今天（{day}）已日结，柜员不能再办理新的申请。确需办理的，请值班长办理。</source>
        <extracomment>``session.info`` key: objects a write transaction keeps referenced until it ends (see ``_store_new``).</extracomment>
        <translation>Today ({day}) is closed: clerks can no longer take new applications. If one must still be taken, ask the supervisor to take it.</translation>
    </message>
    <message>
        <source>今天（{day}）已日结，柜员不能再办理补正或补交材料。确需办理的，请值班长办理。</source>
        <translation>Today ({day}) is closed: clerks can no longer take supplied or owed materials. If this must still be done, ask the supervisor to do it.</translation>
    </message>
    <message>
        <source>{day} 已日结，柜员不能更正、作废该日的办件或在该日办理更正、作废，请值班长本人办理（仍须批准）。</source>
        <translation>{day} is closed: clerks cannot correct or void that day&apos;s cases, or make corrections or voidings on that day. The supervisor must do it personally (approval is still needed).</translation>
    </message>
    <message>
        <source>请写明原因（至少 {n} 个字）。</source>
        <translation>Give a reason (at least {n} characters).</translation>
    </message>
    <message>
        <source>原因中请不要写证件号码，写明更正或作废的事由即可。</source>
        <translation>Do not write ID numbers in the reason; state why the record is corrected or voided.</translation>
    </message>
    <message>
        <source>申请 {no} 的个人信息已按保存期限从本机清除，请到中心系统查询。</source>
        <translation>The personal data of application {no} was removed from this machine after the retention period; look it up in the central system.</translation>
    </message>
</context>
<context>
    <name>integrity</name>
    <message>
        <source>数据文件 {path} 属于受理中心 {center} 的 {ws} 号工作站，与本机部署设置（{my_center} / {my_ws}）不符，已拒绝打开，数据未做任何改动。请信息员核对部署设置和数据文件夹。</source>
        <translation>The data file {path} belongs to workstation {ws} of center {center}, not to this machine&apos;s deployment ({my_center} / {my_ws}); it was not opened and nothing was changed. IT: check the deployment settings and the data folder.</translation>
    </message>
    <message>
        <source>备份 {path} 属于受理中心 {center} 的 {ws} 号工作站，不是本机（{my_center} / {my_ws}）的备份，不能恢复到本机。</source>
        <translation>Backup {path} belongs to workstation {ws} of center {center}, not to this machine ({my_center} / {my_ws}), and cannot be restored here.</translation>
    </message>
    <message>
        <source>本工作站的编号批次已用完（已恢复 {n} 次）。请信息员为本机申请新的工作站编号并重新注册后再恢复。</source>
        <translation>This workstation has used up its number series (restored {n} times). IT: get a new workstation code for this machine and enroll it again before restoring.</translation>
    </message>
    <message>
        <source>数据库 {path} 完好可用，已有 {n} 件申请。从中心服务器恢复只用于数据库丢失或损坏之后；确需以服务器上的记录替换它时，请加 --force（现有数据库移到数据文件夹的 replaced-… 文件夹，不会删除）。数据未做任何改动。</source>
        <extracomment>Events not yet acknowledged by the server: they stay in the moved-aside file.</extracomment>
        <translation>The database {path} is intact and holds {n} applications. Recovery from the central server is only for a lost or damaged database; to replace it with the server&apos;s records anyway, add --force (the current database is moved to a replaced-… folder in the data folder, not deleted). Nothing was changed.</translation>
    </message>
    <message>
        <source>无法加密旧版本的数据库 {path}（{reason}）。原文件未做改动；请信息员检查磁盘空间后重试。</source>
        <translation>Cannot encrypt the database {path} of an earlier version ({reason}). The original file is unchanged; IT: check the disk space and try again.</translation>
    </message>
    <message>
        <source>本工作站已有受理记录，但数据库文件 {path} 不见了。</source>
        <translation>This workstation has taken applications, but the database file {path} is gone.</translation>
    </message>
    <message>
        <source>本工作站已有受理记录，但数据库文件 {path} 已被清空。</source>
        <translation>This workstation has taken applications, but the database file {path} was emptied.</translation>
    </message>
    <message>
        <source>数据库文件 {path} 不是本工作站原来的数据库（已被替换）。</source>
        <translation>The database file {path} is not this workstation&apos;s own database (it was replaced).</translation>
    </message>
    <message>
        <source>数据库文件 {path} 比本机记录的状态旧（被回退到早先的副本，缺少第 {have} 条之后的记录）。</source>
        <translation>The database file {path} is older than this machine&apos;s records say (it was rolled back to an earlier copy and lacks the records after no. {have}).</translation>
    </message>
    <message>
        <source>{what}{way_back}</source>
        <translation>{what}{way_back}</translation>
    </message>
    <message>
        <source>数据库文件 {path} 已损坏，或不是用本机密钥加密的（另一台工作站的文件）。</source>
        <translation>The database file {path} is damaged, or was not encrypted with this machine&apos;s key (a file of another workstation).</translation>
    </message>
    <message>
        <source>数据库结构升级（{old} → {new}）失败，已用升级前的备份 {backup} 恢复数据库 {path}，数据与升级前相同。请信息员重新安装原来的版本继续使用，并把日志交给技术支持。</source>
        <translation>Upgrading the database structure ({old} → {new}) failed. The database {path} was restored from the backup made before the upgrade, {backup}: the data is as it was. IT: install the previous version again to carry on, and send the logs to support.</translation>
    </message>
    <message>
        <source>数据库结构升级（{old} → {new}）失败，已全部撤销：数据库 {path} 保持升级前的样子，数据未做任何改动。升级前的备份在 {backup}。请信息员重新安装原来的版本继续使用，并把日志交给技术支持。</source>
        <translation>Upgrading the database structure ({old} → {new}) failed and was undone completely: the database {path} is as it was before the upgrade, nothing in it was changed. The backup made before the upgrade is {backup}. IT: install the previous version again to carry on, and send the logs to support.</translation>
    </message>
    <message>
        <source>新数据库 {path} 的结构创建（{new}）失败，已全部撤销。请信息员重新安装本程序，并把日志交给技术支持。</source>
        <translation>Creating the structure ({new}) of the new database {path} failed and was undone. IT: install the program again, and send the logs to support.</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>已按保存期限清除，请到中心系统查询</source>
        <translation>Purged after the retention period; look it up in the central system</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>待补正</source>
        <translation>Awaiting materials</translation>
    </message>
    <message>
        <source>已答复</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>已容缺受理</source>
        <translation>Accepted, materials owed</translation>
    </message>
    <message>
        <source>已先行救助</source>
        <translation>Helped first, materials owed</translation>
    </message>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>待上传</source>
        <translation>Pending upload</translation>
    </message>
    <message>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <source>被拒收</source>
        <translation>Rejected by server</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>待补正材料</source>
        <translation>Waiting for materials</translation>
    </message>
    <message>
        <source>已受理，待审核</source>
        <translation>Accepted, awaiting review</translation>
    </message>
    <message>
        <source>审核中</source>
        <translation>Under review</translation>
    </message>
    <message>
        <source>退回补正</source>
        <translation>Returned for materials</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>不予批准</source>
        <translation>Not approved</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>配偶</source>
        <translation>Spouse</translation>
    </message>
    <message>
        <source>家庭成员</source>
        <translation>Household member</translation>
    </message>
    <message>
        <source>代理人</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>监护人</source>
        <translation>Guardian</translation>
    </message>
    <message>
        <source>逝者</source>
        <translation>Deceased</translation>
    </message>
</context>
<context>
    <name>materials</name>
    <message>
        <source>原件</source>
        <translation>original</translation>
    </message>
    <message>
        <source>复印件</source>
        <translation>copy</translation>
    </message>
    <message>
        <source>原件和复印件</source>
        <translation>original and copy</translation>
    </message>
    <message>
        <source>电子材料</source>
        <translation>electronic</translation>
    </message>
    <message>
        <source>份</source>
        <extracomment>How a material is counted (the catalog&apos;s ``unit``): documents in 份, photos in 张, booklets in 本.</extracomment>
        <translation>copies</translation>
    </message>
    <message>
        <source>张</source>
        <translation>sheets</translation>
    </message>
    <message>
        <source>本</source>
        <translation>booklets</translation>
    </message>
    <message>
        <source>原件核验（已退还），收取复印件</source>
        <translation>Original checked (returned), copy kept</translation>
    </message>
    <message>
        <source>电子证照核验</source>
        <translation>Checked as e-licence</translation>
    </message>
    <message>
        <source>不需要</source>
        <translation>Not needed</translation>
    </message>
    <message>
        <source>{form} {count} {unit}</source>
        <extracomment>What the present tick records for each handling of the catalog (``Material.handled()``).</extracomment>
        <translation>{form} {count} {unit}</translation>
    </message>
    <message>
        <source>原件核验（已退还），收取复印件 {count} 份</source>
        <translation>Original checked (returned), {count} copies kept</translation>
    </message>
    <message>
        <source>缺少</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>不合格</source>
        <translation>Defective</translation>
    </message>
    <message>
        <source>收取</source>
        <extracomment>The present choice as the checklist words it, by handling.
----------
A stored status as the record shows it.</extracomment>
        <translation>Kept</translation>
    </message>
    <message>
        <source>原件核验（已退还）</source>
        <translation>Original checked (returned)</translation>
    </message>
    <message>
        <source>原件核验、收取复印件</source>
        <translation>Original checked, copy kept</translation>
    </message>
    <message>
        <source>（可选）</source>
        <extracomment>Attaches the watched folder&apos;s new scans to the current line (the intake page&apos;s shortcut).</extracomment>
        <translation> (optional)</translation>
    </message>
    <message>
        <source>复印件 </source>
        <translation>Copies </translation>
    </message>
    <message>
        <source>收取的复印件份数（在状态框中按 + 或 − 调整）</source>
        <translation>Copies kept (+ or − in the status box)</translation>
    </message>
    <message>
        <source>说明（不合格时必填）</source>
        <translation>Note (required when defective)</translation>
    </message>
</context>
<context>
    <name>money</name>
    <message>
        <source>请输入金额。</source>
        <translation>Enter an amount.</translation>
    </message>
    <message>
        <source>“{amount}”不是有效的金额，请输入如 1595 或 1,595.50 的数字。</source>
        <translation>“{amount}” is not an amount; enter a number such as 1595 or 1,595.50.</translation>
    </message>
    <message>
        <source>“{amount}”的千位分隔符“,”位置不对：应每三位一个，如 1,595.50。</source>
        <translation>The thousands separators of “{amount}” are misplaced: one every three digits, as in 1,595.50.</translation>
    </message>
    <message>
        <source>金额最多两位小数（精确到分），“{amount}”有 {count} 位小数。</source>
        <translation>Amounts have at most two decimals (fen); “{amount}” has {count}.</translation>
    </message>
    <message>
        <source>金额不能为负数。</source>
        <translation>The amount cannot be negative.</translation>
    </message>
    <message>
        <source>金额过大：不能超过 {limit}。</source>
        <translation>The amount is too large: at most {limit}.</translation>
    </message>
</context>
<context>
    <name>people</name>
    <message>
        <source>请输入姓名。</source>
        <translation>Enter the name.</translation>
    </message>
    <message>
        <source>姓名过长：最多 {limit} 个字，现在是 {count} 个。</source>
        <translation>The name is too long: at most {limit} characters, it has {count}.</translation>
    </message>
    <message>
        <source>姓名中不能有数字“{char}”。</source>
        <translation>A name cannot contain the digit “{char}”.</translation>
    </message>
    <message>
        <source>姓名中有私用区字符 {code}（旧系统的造字，其他系统无法显示）。请改用标准汉字输入这个字。</source>
        <translation>The name has a private-use character {code} (a legacy custom glyph other systems cannot show). Type the standard character instead.</translation>
    </message>
    <message>
        <source>姓名中有看不见的控制字符 {code}，请删除后重新输入。</source>
        <translation>The name has an invisible control character {code}; delete it and type again.</translation>
    </message>
    <message>
        <source>姓名中不能有“{char}”：姓名只能由汉字、拉丁字母、间隔号“·”和空格组成。</source>
        <translation>A name cannot contain “{char}”: only Chinese characters, Latin letters, the middle dot “·” and spaces.</translation>
    </message>
    <message>
        <source>间隔号“·”不能在姓名的开头或结尾。</source>
        <translation>The middle dot “·” cannot start or end a name.</translation>
    </message>
    <message>
        <source>间隔号“·”不能连用，两部分之间只用一个。</source>
        <translation>Use one middle dot “·” between two parts, not two.</translation>
    </message>
    <message>
        <source>请输入电话号码。</source>
        <translation>Enter the phone number.</translation>
    </message>
    <message>
        <source>只能登记中国大陆的手机或固定电话号码（国际区号 +86）。</source>
        <translation>Only mainland China numbers (+86) can be registered.</translation>
    </message>
    <message>
        <source>电话号码中有不能识别的字符“{char}”。</source>
        <translation>The phone number has an unknown character “{char}”.</translation>
    </message>
    <message>
        <source>分机号应为 1–6 位数字，现在是“{extension}”。</source>
        <translation>An extension has 1–6 digits, not “{extension}”.</translation>
    </message>
    <message>
        <source>手机号码不能带分机号。</source>
        <translation>A mobile number has no extension.</translation>
    </message>
    <message>
        <source>手机号码应为 11 位，现在是 {count} 位。</source>
        <translation>A mobile number has 11 digits; this one has {count}.</translation>
    </message>
    <message>
        <source>“{number}”不是手机号码：手机号码的第 2 位应为 3–9。</source>
        <translation>“{number}” is not a mobile number: the second digit is 3–9.</translation>
    </message>
    <message>
        <source>固定电话号码位数不对：区号 {area} 后应为 {expected} 位，现在是 {count} 位。</source>
        <translation>Wrong length: after area code {area} come {expected} digits, not {count}.</translation>
    </message>
    <message>
        <source>固定电话号码在区号 {area} 之后不能以 0 或 1 开头。</source>
        <translation>After area code {area} a landline cannot start with 0 or 1.</translation>
    </message>
    <message>
        <source>固定电话请加区号，例如 021-61234567。</source>
        <translation>Add the area code to a landline, e.g. 021-61234567.</translation>
    </message>
    <message>
        <source>“{number}”不是有效的手机或固定电话号码。</source>
        <translation>“{number}” is not a valid mobile or landline number.</translation>
    </message>
</context>
<context>
    <name>permissions</name>
    <message>
        <source>{role}账号不能办理受理业务，请用窗口人员或值班长账号登录。</source>
        <translation>A {role} account cannot take applications; log in with a clerk or supervisor account.</translation>
    </message>
    <message>
        <source>{role}账号不能提出更正或作废。</source>
        <translation>A {role} account cannot ask for a correction or a voiding.</translation>
    </message>
    <message>
        <source>更正和作废需要值班长批准，{role}账号不能批准。</source>
        <translation>Corrections and voidings need a supervisor&apos;s approval; a {role} account cannot approve.</translation>
    </message>
    <message>
        <source>{role}账号不能打印或另存文书。</source>
        <translation>A {role} account cannot print or save documents.</translation>
    </message>
    <message>
        <source>{role}账号不能查看申请记录。</source>
        <translation>A {role} account cannot view application records.</translation>
    </message>
    <message>
        <source>{role}账号不能操作上传。</source>
        <translation>A {role} account cannot operate the upload.</translation>
    </message>
    <message>
        <source>{role}账号不能重置密码。</source>
        <translation>A {role} account cannot reset passwords.</translation>
    </message>
    <message>
        <source>只有系统管理员可以管理账号，{role}账号不能。</source>
        <translation>Only administrators can manage accounts; a {role} account cannot.</translation>
    </message>
    <message>
        <source>{role}账号不能登记群众评价。</source>
        <translation>A {role} account cannot record citizen ratings.</translation>
    </message>
    <message>
        <source>差评回访整改由值班长登记，{role}账号不能。</source>
        <translation>Bad-rating follow-ups are recorded by a supervisor; a {role} account cannot record them.</translation>
    </message>
    <message>
        <source>{role}账号不能查看业务统计。</source>
        <translation>A {role} account cannot view the figures.</translation>
    </message>
    <message>
        <source>{role}账号只能查看本人的业务统计，全窗口和全中心的数据需值班长查看。</source>
        <translation>A {role} account can view only its own figures; the figures of a whole counter window or the whole center are for a supervisor.</translation>
    </message>
    <message>
        <source>日结需要值班长办理，{role}账号不能。</source>
        <translation>The day close is done by a supervisor; a {role} account cannot do it.</translation>
    </message>
    <message>
        <source>导出完整证件号码需要值班长账号，{role}账号不能。</source>
        <translation>Exporting full ID numbers needs a supervisor account; a {role} account cannot do it.</translation>
    </message>
    <message>
        <source>{role}账号不能登记材料交接。</source>
        <translation>A {role} account cannot record a materials handover.</translation>
    </message>
    <message>
        <source>该账号使用的是临时密码，请先设置新密码再办理业务。</source>
        <translation>This account has a temporary password: set a new password before doing any work.</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>文件打印机只能用于演示模式。请信息员在部署配置中填写打印机名称。</source>
        <translation>The file printer is for demo mode only. Ask IT to name a printer in the deployment file.</translation>
    </message>
    <message>
        <source>本机没有设置默认打印机，文书没有打印（已保存，可随时补打）。请信息员安装打印机，或在部署配置 [printing] 中填写打印机名称；急用时可先“另存为 PDF”。</source>
        <translation>This computer has no default printer; nothing was printed (the document is stored and can be printed later). Ask IT to install a printer or name one in [printing] of the deployment file; meanwhile use &quot;Save as PDF&quot;.</translation>
    </message>
    <message>
        <source>找不到打印机“{name}”（本机的打印机：{available}），文书没有打印（已保存，可随时补打）。请信息员检查打印机是否已安装，或修改部署配置中的打印机名称。</source>
        <translation>Printer &quot;{name}&quot; not found (printers here: {available}); nothing was printed (the document is stored and can be printed later). Ask IT to install it or correct the name in the deployment file.</translation>
    </message>
    <message>
        <source>打印机“{name}”处于错误状态（可能离线、缺纸或卡纸），文书没有打印。请检查打印机后按 Enter 重试。</source>
        <translation>Printer &quot;{name}&quot; reports an error (offline, out of paper or jammed); nothing was printed. Check the printer and press Enter to try again.</translation>
    </message>
    <message>
        <source>打印机“{name}”已设为暂停接收打印任务，文书没有打印（已保存，可随时补打）。请信息员在系统的打印机设置中恢复接收任务后按 Enter 重试。</source>
        <translation>The printer “{name}” is set to stop accepting print jobs; the document was not printed (it is saved and can be reprinted at any time). Ask IT to let the printer accept jobs again in the system&apos;s printer settings, then press Enter to retry.</translation>
    </message>
    <message>
        <source>文书文件无法读取，没有打印。请重新打开该申请后补打；如仍不行请通知信息员。</source>
        <translation>The document file cannot be read; nothing was printed. Open the application again and reprint; if that fails, tell IT.</translation>
    </message>
    <message>
        <source>无法写入打印文件夹 {path}（{reason}）。</source>
        <translation>Cannot write to the print folder {path} ({reason}).</translation>
    </message>
    <message>
        <source>打印机“{name}”无法开始打印（可能离线或被占用），文书没有打印。请检查打印机后重试。</source>
        <translation>Printer &quot;{name}&quot; could not start (offline or busy); nothing was printed. Check the printer and try again.</translation>
    </message>
    <message>
        <source>打印机“{name}”在打印时出错（可能缺纸或卡纸）。请检查打印机后补打。</source>
        <translation>Printer &quot;{name}&quot; failed while printing (out of paper or jammed). Check the printer and reprint.</translation>
    </message>
</context>
<context>
    <name>ratings</name>
    <message>
        <source>非常满意</source>
        <extracomment>How the levels read (the citizen&apos;s screen, the supervisor&apos;s lists, the reports).</extracomment>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <source>办事指南不清楚</source>
        <translation>Service guide unclear</translation>
    </message>
    <message>
        <source>多次跑腿</source>
        <translation>Had to come several times</translation>
    </message>
    <message>
        <source>等候时间长</source>
        <translation>Long wait</translation>
    </message>
    <message>
        <source>办理时间长</source>
        <translation>Slow handling</translation>
    </message>
    <message>
        <source>服务态度不好</source>
        <translation>Poor service attitude</translation>
    </message>
    <message>
        <source>材料要求不合理</source>
        <translation>Unreasonable material requirements</translation>
    </message>
    <message>
        <source>系统或设备故障</source>
        <translation>System or equipment failure</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>办理后评价</source>
        <translation>Rating after the decision</translation>
    </message>
    <message>
        <source>补正后评价</source>
        <translation>Rating after the return visit</translation>
    </message>
    <message>
        <source>回访联系</source>
        <translation>Call-back</translation>
    </message>
    <message>
        <source>核实</source>
        <translation>Verification</translation>
    </message>
    <message>
        <source>整改措施</source>
        <translation>Rectification measure</translation>
    </message>
    <message>
        <source>办理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>属实</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <source>不属实</source>
        <translation>Unfounded</translation>
    </message>
    <message>
        <source>立行立改</source>
        <translation>Fixed at once</translation>
    </message>
    <message>
        <source>限期整改</source>
        <translation>Fix by a deadline</translation>
    </message>
    <message>
        <source>解释说明</source>
        <translation>Explained</translation>
    </message>
    <message>
        <source>待回访</source>
        <translation>Awaiting call-back</translation>
    </message>
    <message>
        <source>已回访，待办结</source>
        <translation>Called back, awaiting outcome</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>待办结</source>
        <extracomment>An anonymous 差评 (no phone) is never called back: while open it waits for its outcome, not for a call.</extracomment>
        <translation>Awaiting outcome</translation>
    </message>
    <message>
        <source>实名</source>
        <extracomment>Whether the citizen left a phone number to be called back, as every screen and file words it.</extracomment>
        <translation>Named</translation>
    </message>
    <message>
        <source>匿名</source>
        <translation>Anonymous</translation>
    </message>
    <message>
        <source>（匿名，不回访）</source>
        <extracomment>The call-back deadline of an anonymous 差评, which has none.</extracomment>
        <translation>(anonymous, no call-back)</translation>
    </message>
    <message>
        <source>办件 {no} 已作废，不能登记评价。</source>
        <extracomment>A contact step recorded (reached or not), and when the outcome closed the follow-up.</extracomment>
        <translation>Case {no} is voided; no rating can be recorded.</translation>
    </message>
    <message>
        <source>办件 {no} 还没有办理结果，不能登记评价。</source>
        <translation>Case {no} has no decision yet; no rating can be recorded.</translation>
    </message>
    <message>
        <source>评价已登记，不能更改。</source>
        <translation>The rating is recorded and cannot be changed.</translation>
    </message>
    <message>
        <source>办件 {no} 这次待评价的是“{occasion}”，请按这次的办理登记评价。</source>
        <translation>Case {no} is now awaiting “{occasion}”; record the rating for this visit.</translation>
    </message>
    <message>
        <source>办件 {no} 这次是其他工作人员办理的，请由办理人登记群众的评价。</source>
        <translation>Case {no} was handled by another member of staff this time; the person who handled it records the citizen&apos;s rating.</translation>
    </message>
    <message>
        <source>找不到这条评价，可能已按保存期限清除。</source>
        <translation>This rating was not found; it may have been purged after the retention period.</translation>
    </message>
    <message>
        <source>只有差评（不满意、非常不满意）需要回访整改。</source>
        <translation>Only bad ratings (Dissatisfied, Very dissatisfied) need a follow-up.</translation>
    </message>
    <message>
        <source>这条差评已登记办理结果，回访整改已办结，不能再登记。</source>
        <translation>The outcome of this bad rating is recorded and its follow-up is completed; nothing more can be recorded.</translation>
    </message>
    <message>
        <source>这条差评是匿名的，没有留电话，不能登记回访联系；请直接登记核实和整改。</source>
        <translation>This bad rating is anonymous with no phone number, so no call-back can be recorded; record the verification and rectification directly.</translation>
    </message>
    <message>
        <source>实名差评须全部回访：请先登记回访联系（打通或未打通），再登记办理结果。</source>
        <translation>Every named bad rating must be called back: record the call-back first (reached or not), then the outcome.</translation>
    </message>
    <message>
        <source>这条评价是匿名的，没有留电话。</source>
        <translation>This rating is anonymous; no phone number was left.</translation>
    </message>
    <message>
        <source>结束日期不能早于开始日期。</source>
        <translation>The end date cannot be before the start date.</translation>
    </message>
    <message>
        <source>差评请至少选择一项原因。</source>
        <translation>Choose at least one reason for a bad rating.</translation>
    </message>
    <message>
        <source>只有不满意和非常不满意需要选择原因。</source>
        <translation>Only Dissatisfied and Very dissatisfied take reasons.</translation>
    </message>
    <message>
        <source>只有差评需要留电话以便回访。</source>
        <translation>Only a bad rating takes a phone number for a call-back.</translation>
    </message>
    <message>
        <source>群众未评价时不登记评价内容。</source>
        <translation>When the citizen did not rate, no rating details are recorded.</translation>
    </message>
    <message>
        <source>评价内容中请不要写证件号码。</source>
        <translation>Do not write ID numbers in the rating.</translation>
    </message>
    <message>
        <source>请选择回访是否联系上评价人。</source>
        <translation>Choose whether the call-back reached the rater.</translation>
    </message>
    <message>
        <source>请选择核实结果：属实或不属实。</source>
        <translation>Choose the verification result: confirmed or unfounded.</translation>
    </message>
    <message>
        <source>请选择整改措施：立行立改、限期整改或解释说明。</source>
        <translation>Choose the rectification measure: fixed at once, fix by a deadline or explained.</translation>
    </message>
    <message>
        <source>“{step}”这一步只登记它自己的内容。</source>
        <translation>The step “{step}” records only its own details.</translation>
    </message>
    <message>
        <source>请写明办理结果和向群众反馈的情况。</source>
        <translation>Describe the outcome and what the citizen was told.</translation>
    </message>
    <message>
        <source>回访记录中请不要写证件号码。</source>
        <translation>Do not write ID numbers in the follow-up record.</translation>
    </message>
    <message>
        <source>找不到办件编号为 {no} 的申请，请核对编号。</source>
        <translation>No application with case no. {no} was found. Check the number.</translation>
    </message>
</context>
<context>
    <name>record</name>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>{amount} 元</source>
        <translation>{amount} yuan</translation>
    </message>
</context>
<context>
    <name>recovery</name>
    <message>
        <source>未能从中心服务器取回本工位的记录：{reason} 本机数据未做任何改动。</source>
        <extracomment>However long the feed, a recovery pulls at most this many rounds of it (each ``PULL_PAGES_PER_SYNC`` pages).</extracomment>
        <translation>Could not fetch this workstation&apos;s records from the central server: {reason} Nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>从中心服务器恢复需要一次性注册码。{reason} 本机数据未做任何改动。</source>
        <translation>Recovery from the central server needs a one-time enrollment code. {reason} Nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>恢复未完成：{reason} 本机数据未做任何改动。</source>
        <translation>Recovery did not finish: {reason} Nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>本工位尚未在中心服务器注册（{where}中没有工位凭证），无法从服务器恢复。请信息员向中心服务器的运维人员申请本工位的一次性注册码，再执行 yimen recover --from-server --code 注册码。本机数据未做任何改动。</source>
        <translation>This workstation is not enrolled with the central server (there is no workstation credential in {where}), so it cannot recover from the server. IT: ask the server&apos;s operators for a one-time enrollment code for this workstation, then run yimen recover --from-server --code &lt;code&gt;. Nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>本机保存的工位凭证属于中心 {center} 的 {ws} 号工位，与部署设置不符，无法恢复。请信息员重新注册本工位。本机数据未做任何改动。</source>
        <translation>The workstation credential on this machine belongs to workstation {ws} of center {center}, not to this deployment, so recovery is not possible. IT: enroll this workstation again. Nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>注册码格式不对。请核对信息员给出的注册码。</source>
        <translation>The enrollment code has the wrong format. Check the code IT gave you.</translation>
    </message>
    <message>
        <source>服务器地址“{url}”无效：应以 https:// 开头（http 只能用于演示模式）。</source>
        <translation>The server address &quot;{url}&quot; is not valid: it must begin with https:// (http only in demo mode).</translation>
    </message>
    <message>
        <source>中心服务器上有 {n} 个事件找不到其申请的受理事件，无法完整恢复。请联系中心服务器的运维人员；本机数据未做任何改动。</source>
        <extracomment>The highest numbering series among the recovered 受理编号 (0: none recovered). Cases past the retention period, purged again at once (app/retention.py): their numbers stay. Materials&apos; files fetched back from the server whole (:func:`fetch_attachments`). Files the server did not give (not there, refused, unreachable): the case names them, the bytes stay there. Files whose bytes did not match their SHA-256: not kept.</extracomment>
        <translation>{n} events on the central server have no application event to belong to, so recovery cannot be complete. Contact the server&apos;s operators; nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>中心服务器发回的事件 {id} 与其 SHA-256 不符，恢复已停止；本机数据未做任何改动。</source>
        <translation>Event {id} sent back by the central server does not match its SHA-256; recovery stopped and nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>中心服务器发回的事件 {id} 本程序无法识别（可能需要升级本程序），恢复已停止；本机数据未做任何改动。</source>
        <translation>This program does not recognise event {id} sent back by the central server (it may need an upgrade); recovery stopped and nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>中心服务器发回了不属于本中心本工位的事件 {id}，恢复已停止；本机数据未做任何改动。</source>
        <translation>The central server sent back event {id}, which does not belong to this center and workstation; recovery stopped and nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>中心服务器发回的文书 {number} 与其 SHA-256 不符，恢复已停止；本机数据未做任何改动。</source>
        <translation>Document {number} sent back by the central server does not match its SHA-256; recovery stopped and nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>中心服务器上有差评回访记录找不到其评价（办件 {no}），无法完整恢复。请联系中心服务器的运维人员；本机数据未做任何改动。</source>
        <translation>A bad-rating follow-up on the central server has no rating to belong to (case {no}), so recovery cannot be complete. Contact the server&apos;s operators; nothing on this machine was changed.</translation>
    </message>
    <message>
        <source>申请所用的事项“{name}”（{code} 第 {version} 版）在本机和中心服务器上都没有，无法重建。请安装包含该事项版本的程序后再恢复；本机数据未做任何改动。</source>
        <translation>The item &quot;{name}&quot; ({code} version {version}) an application was taken under is neither on this machine nor on the central server, so it cannot be rebuilt. Install a program that contains that item version, then recover again; nothing on this machine was changed.</translation>
    </message>
</context>
<context>
    <name>reports</name>
    <message>
        <source>请用本人账号登录后查看本人的业务统计。</source>
        <extracomment>The longest period a summary covers (a year and a day: a leap year&apos;s report). The open accepted cases read for each deadline list, earliest due first (the most overdue, as the server lists them and as ``figures.summarize`` keeps them), this many at most of each. A store whose back office never reported back (no ``server_status``) holds every accepted case as open; the summary then lists these and counts them all in SQL (``Summary.overdue_total`` / ``due_soon_total``). The sync_meta key of the center&apos;s figures last fetched from the server. The back office&apos;s statuses that end a case (``protocol.ServerStatus``): it is no longer waiting on the center.</extracomment>
        <translation>Log in with your own account to view your own figures.</translation>
    </message>
    <message>
        <source>无法取得中心数据：{reason} 本机没有这一期间的中心数据。</source>
        <translation>Cannot get the center data: {reason} This machine has no center data for this period.</translation>
    </message>
    <message>
        <source>无法取得中心数据：{reason} 显示的是 {time} 获取的中心数据。</source>
        <translation>Cannot get the center data: {reason} Showing the center data fetched at {time}.</translation>
    </message>
    <message>
        <source>结束日期不能早于开始日期。</source>
        <translation>The end date cannot be before the start date.</translation>
    </message>
    <message>
        <source>统计期间最长 {days} 天，请缩短期间。</source>
        <translation>The period can be at most {days} days; choose a shorter one.</translation>
    </message>
</context>
<context>
    <name>signatures</name>
    <message>
        <source>签名人身份无效，请重新签名。</source>
        <extracomment>Who may sign, in the order the pad asks (the catalog&apos;s ``signatures`` names a subset). Who signs a 签收 line (the receipt&apos;s, a notice&apos;s: &quot;申请人（或代理人）签收&quot;): an agent who came for the applicant, else the applicant, else a guardian signing for a ward. [[[x, y, t_ms, pressure], ...], ...] The case&apos;s content changed since the signature was taken (a 更正 after it).</extracomment>
        <translation>The signer&apos;s role is not valid; please sign again.</translation>
    </message>
    <message>
        <source>签名板上没有笔迹，请签名后再确认。</source>
        <translation>There is nothing on the signature pad; please sign, then confirm.</translation>
    </message>
    <message>
        <source>签名笔迹过多，请清除后重新签名。</source>
        <translation>The signature has too many strokes; please clear the pad and sign again.</translation>
    </message>
    <message>
        <source>签名图像无效，请清除后重新签名。</source>
        <translation>The signature image is not valid; please clear the pad and sign again.</translation>
    </message>
    <message>
        <source>找不到办件编号为 {no} 的申请，请核对编号。</source>
        <translation>No application has the number {no}; please check the number.</translation>
    </message>
</context>
<context>
    <name>startup</name>
    <message>
        <source>一门式社区事务受理台无法启动</source>
        <extracomment>The login dialog&apos;s result when the opened store has no account (ui/firstrun.py comes first). Pure-Python modules the main window needs beyond those the opened services imported: the item search and the intake labels. The database worker imports them once the services are handed over (after a waiting login), so the main window opens at once after login; then :func:`prepare_search` computes the pinyin of the catalog&apos;s names (pypinyin&apos;s dictionaries, ~0.4 s) and releases pypinyin. Never Qt modules: ``ui.*`` is imported on the GUI thread only. tests/ui/test_startup.py checks that the main window needs nothing else heavy.</extracomment>
        <translation>Yimen cannot start</translation>
    </message>
    <message>
        <source>一门式社区事务受理台</source>
        <extracomment>The store has no account of its own (and no demo data was written): the first-run window comes first.</extracomment>
        <translation>Yimen community affairs counter</translation>
    </message>
</context>
<context>
    <name>supervisor</name>
    <message>
        <source>尚未上传</source>
        <translation>Not uploaded yet</translation>
    </message>
    <message>
        <source>被拒收</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>服务器上没有</source>
        <translation>Not on the server</translation>
    </message>
    <message>
        <source>服务器上缺事件</source>
        <translation>Events missing on the server</translation>
    </message>
    <message>
        <source>本机没有</source>
        <translation>Not on this machine</translation>
    </message>
    <message>
        <source>服务器上事件更多</source>
        <translation>More events on the server</translation>
    </message>
    <message>
        <source>还没有取得中心数据，无法导出全中心日报。</source>
        <translation>No center data yet: the whole-center daily report cannot be exported.</translation>
    </message>
    <message>
        <source>回访逾期</source>
        <translation>Call-back overdue</translation>
    </message>
    <message>
        <source>整改逾期</source>
        <translation>Rectification overdue</translation>
    </message>
    <message>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <source>办事指南不清楚</source>
        <translation>Service guide unclear</translation>
    </message>
    <message>
        <source>多次跑腿</source>
        <translation>Had to come several times</translation>
    </message>
    <message>
        <source>等候时间长</source>
        <translation>Long wait</translation>
    </message>
    <message>
        <source>办理时间长</source>
        <translation>Slow handling</translation>
    </message>
    <message>
        <source>服务态度不好</source>
        <translation>Poor service attitude</translation>
    </message>
    <message>
        <source>材料要求不合理</source>
        <translation>Unreasonable material requirements</translation>
    </message>
    <message>
        <source>系统或设备故障</source>
        <translation>System or equipment failure</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>回访联系</source>
        <translation>Call-back</translation>
    </message>
    <message>
        <source>核实</source>
        <translation>Verification</translation>
    </message>
    <message>
        <source>整改措施</source>
        <translation>Rectification measure</translation>
    </message>
    <message>
        <source>办理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>属实</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <source>不属实</source>
        <translation>Unfounded</translation>
    </message>
    <message>
        <source>立行立改</source>
        <translation>Fixed at once</translation>
    </message>
    <message>
        <source>限期整改</source>
        <translation>Fix by a deadline</translation>
    </message>
    <message>
        <source>解释说明</source>
        <translation>Explained</translation>
    </message>
    <message>
        <source>受理登记</source>
        <translation>Application taken</translation>
    </message>
    <message>
        <source>补正收件</source>
        <translation>Materials supplemented</translation>
    </message>
    <message>
        <source>更正</source>
        <translation>Correction</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>出具文书</source>
        <translation>Document issued</translation>
    </message>
    <message>
        <source>补打文书</source>
        <translation>Document reprinted</translation>
    </message>
    <message>
        <source>群众评价</source>
        <translation>Citizen rating</translation>
    </message>
    <message>
        <source>差评回访</source>
        <translation>Bad-rating follow-up</translation>
    </message>
    <message>
        <source>日结</source>
        <translation>Day close</translation>
    </message>
    <message>
        <source>材料交接</source>
        <translation>Materials handover</translation>
    </message>
    <message>
        <source>群众签名</source>
        <translation>Citizen&apos;s signature</translation>
    </message>
    <message>
        <source>{n} 秒</source>
        <translation>{n} s</translation>
    </message>
    <message>
        <source>{n} 分钟</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <source>{h} 小时 {m} 分</source>
        <translation>{h} h {m} min</translation>
    </message>
    <message>
        <source>{d} 天 {h} 小时</source>
        <translation>{d} d {h} h</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <source>与中心服务器的加密连接校验失败（证书不受信任或已过期）。请信息员检查服务器证书和 CA 设置。</source>
        <extracomment>The push framing each server address last named (SyncClient.push_framing), for this process&apos;s next client. (connect, read) seconds. A batch of 200 events is answered in well under a second by a healthy server. A busy server or proxy: 503 (our admission control, a proxy with no instance free) and 429 (a rate limit). Seconds waited when a busy answer names no (readable) ``Retry-After``, and the most a ``Retry-After`` is believed. What the last answer of the server said of client versions (None before any answer). The push framing the server&apos;s last answer named (``&quot;2&quot;``), or None: version 1. Remembered per server address for this process&apos;s next client, so that a new round&apos;s first push need not learn it again.</extracomment>
        <translation>The encrypted connection to the central server failed its check (certificate not trusted or expired). Ask IT to check the server certificate and the CA setting.</translation>
    </message>
    <message>
        <source>中心服务器响应超时，稍后自动重试。</source>
        <translation>The central server did not answer in time; retrying automatically later.</translation>
    </message>
    <message>
        <source>无法连接中心服务器（网络中断或服务器未运行），稍后自动重试。</source>
        <translation>Cannot reach the central server (network down or server not running); retrying automatically later.</translation>
    </message>
    <message>
        <source>中心服务器繁忙，{seconds} 秒后自动重试（记录都保存在本机）。</source>
        <translation>The central server is busy; retrying automatically in {seconds} s (all records are saved on this machine).</translation>
    </message>
    <message>
        <source>中心服务器暂时出错（HTTP {status}），稍后自动重试。</source>
        <translation>The central server had a temporary error (HTTP {status}); retrying automatically later.</translation>
    </message>
    <message>
        <source>中心服务器不提供本工位的记录：{reason}</source>
        <translation>The central server does not give out this workstation&apos;s records: {reason}</translation>
    </message>
    <message>
        <source>中心服务器的应答无法识别，稍后自动重试。</source>
        <translation>The central server&apos;s answer could not be understood; retrying automatically later.</translation>
    </message>
    <message>
        <source>本工位的凭证已被中心服务器吊销，同步已停止。请联系信息员重新注册本工位。</source>
        <translation>The central server revoked this workstation&apos;s credential; sync has stopped. Ask IT to enroll this workstation again.</translation>
    </message>
    <message>
        <source>中心服务器拒绝了本工位：{reason}</source>
        <translation>The central server refused this workstation: {reason}</translation>
    </message>
    <message>
        <source>中心服务器拒绝了请求（HTTP {status}）：{reason}</source>
        <translation>The central server refused the request (HTTP {status}): {reason}</translation>
    </message>
    <message>
        <source>服务器地址“{url}”无效，应以 https:// 开头。</source>
        <extracomment>Beyond this, the clerk and the supervisor are warned: receipt dates come from the workstation&apos;s clock. ``&quot;{seq}:{mac}&quot;`` of the last audit head the server accepted, and the server&apos;s reason for the last one refused. The client versions the server last published (docs/sync-protocol.md &quot;Client versions&quot;); absent: none. Until when the server asked this workstation to wait (it answered busy: docs/sync-protocol.md &quot;When the server is busy&quot;); absent when the last round went through. Sending again after a server restore (docs/sync-protocol.md): the resend requests this store has put back in its queue (JSON list of ids, the latest few), the one still to name done on the next feed call, and how many events acknowledged since a request&apos;s moment could not be sent again (their bytes or PDF already pruned). Events put back in the queue per local transaction (a save waits at most for one of them). A resend request (server restored): events put back in the queue, and those that could not be. Why the event waits, in Chinese; screens render :attr:`last_error_message` in the reader&apos;s language. The last failure in Chinese (the command line, logs); screens render :attr:`last_error_message` instead. The server&apos;s reason for refusing this workstation&apos;s last audit head (None: accepted, or none sent yet). The last failure as a message, to render in the reader&apos;s language (a plain text stored by an earlier version reads back as that text). Events the server asked to have sent again (it was restored) whose bytes were already pruned here: for IT. The client versions the server last published (None: it published none, or was never reached). The server was busy at the last round and asked to wait until then (None: it was not); no error.</extracomment>
        <translation>Server address &quot;{url}&quot; is not valid: it should start with https://.</translation>
    </message>
    <message>
        <source>服务器地址“{url}”未加密（http），只能用于演示模式。请使用 https:// 地址。</source>
        <translation>Server address &quot;{url}&quot; is not encrypted (http) and can be used in demo mode only. Use an https:// address.</translation>
    </message>
    <message>
        <source>注册码格式不对。请核对信息员给出的注册码。</source>
        <translation>The enrollment code is not in the right form. Check the code IT gave you.</translation>
    </message>
    <message>
        <source>新凭证已保存，但尚未向中心服务器确认（{reason}）。下次同步时自动确认。</source>
        <translation>The new credential was saved but not yet confirmed with the central server ({reason}). It is confirmed automatically at the next sync.</translation>
    </message>
    <message>
        <source>本工位尚未在中心服务器注册，无法同步。请信息员执行 yimen enroll 注册本工位。</source>
        <translation>This workstation is not enrolled with the central server and cannot sync. Ask IT to enroll it (yimen enroll).</translation>
    </message>
    <message>
        <source>本机保存的工位凭证属于其他中心或工位，无法同步。请信息员重新注册本工位。</source>
        <translation>The workstation credential stored here belongs to another centre or workstation; cannot sync. Ask IT to enroll this workstation again.</translation>
    </message>
    <message>
        <source>中心服务器拒收了本工位的审计链位置：{reason}</source>
        <translation>The central server refused this workstation&apos;s audit chain position: {reason}</translation>
    </message>
    <message>
        <source>本机时钟与中心服务器相差约 {minutes} 分钟，回执上的日期时间可能不准。请信息员校准本机时间。</source>
        <translation>This computer&apos;s clock differs from the central server&apos;s by about {minutes} minutes; dates and times on receipts may be wrong. Ask IT to set this computer&apos;s clock.</translation>
    </message>
    <message>
        <source>受理登记</source>
        <translation>Application taken</translation>
    </message>
    <message>
        <source>补正收件</source>
        <translation>Materials supplemented</translation>
    </message>
    <message>
        <source>更正</source>
        <translation>Correction</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>出具文书</source>
        <translation>Document issued</translation>
    </message>
    <message>
        <source>补打文书</source>
        <translation>Document reprinted</translation>
    </message>
    <message>
        <source>无法保存或读取工位凭证：{reason}</source>
        <extracomment>False between saving a new credential and the server&apos;s confirmation of it (two-phase enrollment, docs/sync-protocol.md): the next sync confirms it first. Entries saved before there was a confirmation have no such key and were in force when saved.</extracomment>
        <translation>Cannot save or read the workstation credential: {reason}</translation>
    </message>
    <message>
        <source>本工位程序版本 {current} 过旧，中心服务器要求至少 {minimum}，同步已暂停（记录都保存在本机，不会丢失）。请联系信息员安装新版本。</source>
        <translation>This workstation&apos;s program version {current} is too old: the central server requires at least {minimum}. Sync is paused (every record is kept on this machine and nothing is lost). Ask IT to install the new version.</translation>
    </message>
</context>
<context>
    <name>texts</name>
    <message>
        <source>内容过长：最多 {n} 个字，请精简。</source>
        <translation>Too long: at most {n} characters. Please shorten it.</translation>
    </message>
    <message>
        <source>内容含有换行或不可见的控制字符，请重新输入。</source>
        <translation>The text contains a line break or invisible control characters; please type it again.</translation>
    </message>
    <message>
        <source>内容含有不可见的控制字符，请重新输入。</source>
        <translation>The text contains invisible control characters; please type it again.</translation>
    </message>
</context>
<context>
    <name>vault</name>
    <message>
        <source>本机密钥 {name}（{folder}）已损坏。请信息员从本机的密钥备份恢复它，或用恢复私钥恢复数据（yimen restore）；切勿删除数据文件夹。</source>
        <translation>This machine&apos;s key {name} ({folder}) is damaged. IT: restore it from the machine&apos;s key backup, or restore the data with the recovery private key (yimen restore); never delete the data folder.</translation>
    </message>
    <message>
        <source>本机密钥文件夹 {folder} 不是文件夹（同名的文件占了它的位置）。请信息员检查安装和 YIMEN_VAULT_DIR 设置，不要删除该文件；数据未做任何改动。</source>
        <translation>The machine key folder {folder} is not a folder (a file of the same name is in its place). IT: check the installation and the YIMEN_VAULT_DIR setting; do not delete that file. Nothing was changed.</translation>
    </message>
    <message>
        <source>systemd-creds 封存 {name} 后无法核对，原密钥保持不变。</source>
        <translation>After sealing {name} with systemd-creds it could not be checked; the original key is unchanged.</translation>
    </message>
    <message>
        <source>无法用 systemd-creds 封存本机密钥 {name}（{reason}）。请以 root 身份运行 yimen vault seal；未封存的密钥保持原样。</source>
        <translation>Cannot seal the machine key {name} with systemd-creds ({reason}). Run yimen vault seal as root; the unsealed keys stay as they are.</translation>
    </message>
    <message>
        <source>无法把封存的本机密钥解开到 {runtime}（{reason}）。请以 root 身份运行 yimen vault unseal（开机时由 yimen-vault.service 运行）；数据未做任何改动。</source>
        <translation>Cannot unseal the machine keys into {runtime} ({reason}). Run yimen vault unseal as root (yimen-vault.service runs it at boot); nothing was changed.</translation>
    </message>
    <message>
        <source>无法读取本机密钥文件夹 {folder}（{reason}）。请信息员确认当前系统账户属于 yimen 组（Windows：一门式受理台用户组），或以安装时的账户运行；数据未做任何改动。</source>
        <translation>Cannot read the machine key folder {folder} ({reason}). IT: make sure this system account belongs to the yimen group (Windows: the Yimen users group), or run as the installing account; nothing was changed.</translation>
    </message>
    <message>
        <source>本机密钥已封存在 {folder}，但本次开机尚未解开到 {runtime}（{reason}）。请信息员以 root 身份运行 systemctl start yimen-vault（或 yimen vault unseal）后重试；数据未做任何改动。</source>
        <translation>The machine keys are sealed in {folder} but were not unsealed into {runtime} since this boot ({reason}). IT: run systemctl start yimen-vault (or yimen vault unseal) as root, then try again; nothing was changed.</translation>
    </message>
    <message>
        <source>无法写入本机密钥文件夹 {folder}（{reason}）。请信息员检查该文件夹的权限和磁盘空间后重试。</source>
        <translation>Cannot write to the machine key folder {folder} ({reason}). IT: check the folder&apos;s permissions and the disk space, then try again.</translation>
    </message>
    <message>
        <source>本机没有 {tool}，不能封存或打开密钥。</source>
        <translation>This machine has no {tool}; keys cannot be sealed or unsealed.</translation>
    </message>
    <message>
        <source>旧的本机密钥文件夹 {old} 和新的 {new} 中都有 {names}，且内容不同，程序不会覆盖任何一个。请信息员确认本工位的数据库用的是哪一份密钥，把另一份移到别处保存（不要删除）后再启动。</source>
        <extracomment>The secrets ``yimen vault seal`` seals; the credential and the marker change at run time and stay plain files. The Windows vault&apos;s folder in ``%ProgramData%``: a sibling of the data folder ``yimen``, never inside it (NTFS names ignore case, so the ``%ProgramData%Yimen<byte value="xb"/>ault`` of earlier versions was inside ``C:ProgramDatayimen``).</extracomment>
        <translation>Both the old machine key folder {old} and the new one {new} hold {names}, with different contents; neither is overwritten. IT: find out which key this workstation&apos;s database uses, move the other one elsewhere (do not delete it), then start again.</translation>
    </message>
    <message>
        <source>无法把旧的本机密钥文件夹 {old} 移到 {new}（{reason}）。密钥仍在原处；请信息员检查两个文件夹的权限后重新启动，切勿删除其中的文件。</source>
        <translation>The old machine key folder {old} could not be moved to {new} ({reason}). The keys are still where they were. IT: check the permissions of both folders and start again; never delete their files.</translation>
    </message>
</context>
<context>
    <name>workdays</name>
    <message>
        <source>日历数据文件“{file}”有误：{problem}该文件未被采用，请按日历文件夹中 README.md 的格式改正。</source>
        <extracomment>Longest run of days one ``start``/``end`` entry of a data file may cover. The longest holiday period so far is 9 days (春节 2026); a longer range is almost certainly a typing error in a date.</extracomment>
        <translation>Calendar file &quot;{file}&quot; has an error: {problem} The file was not used; correct it following README.md in the calendar folder.</translation>
    </message>
    <message>
        <source>日历数据文件“{file}”第{line}行有误：{problem}该文件未被采用，请按日历文件夹中 README.md 的格式改正。</source>
        <translation>Calendar file &quot;{file}&quot;, line {line}, has an error: {problem} The file was not used; correct it following README.md in the calendar folder.</translation>
    </message>
    <message>
        <source>文件名应为四位年份加 .toml，例如 2027.toml。</source>
        <translation>The file name should be a four-digit year plus .toml, e.g. 2027.toml.</translation>
    </message>
    <message>
        <source>有无法识别的项“{key}”（可用的项：{keys}）。</source>
        <translation>Unknown entry &quot;{key}&quot; (allowed: {keys}).</translation>
    </message>
    <message>
        <source>“override”只能是 true 或 false（不加引号）。</source>
        <translation>&quot;override&quot; can only be true or false (without quotes).</translation>
    </message>
    <message>
        <source>缺少“year”（年份），例如 year = 2027。</source>
        <translation>&quot;year&quot; is missing, e.g. year = 2027.</translation>
    </message>
    <message>
        <source>“year”应为四位年份数字（不加引号），例如 year = 2027。</source>
        <translation>&quot;year&quot; should be a four-digit year (without quotes), e.g. year = 2027.</translation>
    </message>
    <message>
        <source>year = {year} 与文件名“{name}”不一致。</source>
        <translation>year = {year} does not match the file name &quot;{name}&quot;.</translation>
    </message>
    <message>
        <source>缺少“source”：请写明国务院办公厅通知的文号和标题。</source>
        <translation>&quot;source&quot; is missing: give the number and title of the State Council General Office&apos;s notice.</translation>
    </message>
    <message>
        <source>“source”应为文字：国务院办公厅通知的文号和标题，写在英文引号内。</source>
        <translation>&quot;source&quot; should be text: the number and title of the State Council General Office&apos;s notice, in straight quotes.</translation>
    </message>
    <message>
        <source>“{key}”应为文字，写在英文引号内。</source>
        <translation>&quot;{key}&quot; should be text, in straight quotes.</translation>
    </message>
    <message>
        <source>缺少“entered”（录入日期），例如 entered = 2026-11-20。</source>
        <translation>&quot;entered&quot; (the date of entry) is missing, e.g. entered = 2026-11-20.</translation>
    </message>
    <message>
        <source>“entered”应为录入日期，例如 entered = 2026-11-20。</source>
        <translation>&quot;entered&quot; should be the date of entry, e.g. entered = 2026-11-20.</translation>
    </message>
    <message>
        <source>没有任何放假日期：每年的通知至少有元旦、春节等假期，请逐段写成 [[holidays]]。</source>
        <translation>No holidays at all: every year&apos;s notice has at least New Year&apos;s Day and the Spring Festival; write each as a [[holidays]] section.</translation>
    </message>
    <message>
        <source>“{table}”应写成若干个 [[{table}]] 段。</source>
        <translation>&quot;{table}&quot; should be written as [[{table}]] sections.</translation>
    </message>
    <message>
        <source>{day} 重复出现。</source>
        <translation>{day} appears more than once.</translation>
    </message>
    <message>
        <source>{day} 同时被写成放假和上班。</source>
        <translation>{day} is written both as a holiday and as a working day.</translation>
    </message>
    <message>
        <source>第{index}个 {where} 有无法识别的项“{key}”（可用的项：{keys}）。</source>
        <translation>{where} no. {index} has an unknown entry &quot;{key}&quot; (allowed: {keys}).</translation>
    </message>
    <message>
        <source>第{index}个 {where} 缺少名称 name，例如 name = &quot;春节&quot;。</source>
        <translation>{where} no. {index} has no name, e.g. name = &quot;春节&quot;.</translation>
    </message>
    <message>
        <source>日期 {day} 不属于{year}年（只能写{year}年的日期，或通知中写到的上一年12月的日期）。</source>
        <translation>The date {day} is not in {year} (only dates of {year}, or of the previous December named in the notice).</translation>
    </message>
    <message>
        <source>调休上班日 {day} 是星期{weekday}，不是周末：调休上班日只会是星期六或星期日。</source>
        <translation>The make-up working day {day} is a weekday ({weekday}), not a weekend day: make-up working days are always a Saturday or a Sunday.</translation>
    </message>
    <message>
        <source>调休上班日请逐日写成 date = 日期，每个 [[makeup_workdays]] 一天。</source>
        <translation>Write make-up working days one by one as date = …, one day per [[makeup_workdays]].</translation>
    </message>
    <message>
        <source>第{index}个 {where} 应写 date（一天），或写 start 和 end（连续几天，含首尾），二者选一。</source>
        <translation>{where} no. {index} should have either date (one day) or start and end (consecutive days, both included), not both.</translation>
    </message>
    <message>
        <source>“{key}”应为日期，例如 {key} = 2027-01-01。</source>
        <translation>&quot;{key}&quot; should be a date, e.g. {key} = 2027-01-01.</translation>
    </message>
    <message>
        <source>开始日期 {start} 晚于结束日期 {end}。</source>
        <translation>The start date {start} is later than the end date {end}.</translation>
    </message>
    <message>
        <source>{start} 至 {end} 共{span}天，超过{limit}天，请检查日期。</source>
        <translation>{start} to {end} is {span} days, more than {limit}; check the dates.</translation>
    </message>
    <message>
        <source>文件不是 UTF-8 编码：请用记事本“另存为”并选择 UTF-8 编码。</source>
        <translation>The file is not UTF-8: use &quot;Save as&quot; in Notepad and choose UTF-8.</translation>
    </message>
    <message>
        <source>文件无法读取（{detail}）。</source>
        <translation>The file cannot be read ({detail}).</translation>
    </message>
    <message>
        <source>不是有效的 TOML 格式（{detail}）。</source>
        <translation>Not valid TOML ({detail}).</translation>
    </message>
    <message>
        <source>日历数据文件夹“{folder}”无法读取（{detail}），其中的年份未被采用；请检查该文件夹的权限。</source>
        <translation>The calendar folder &quot;{folder}&quot; cannot be read ({detail}); its years were not used. Check the folder&apos;s permissions.</translation>
    </message>
    <message>
        <source>与“{other}”是同一年份，请只保留一个文件。</source>
        <translation>Same year as &quot;{other}&quot;: keep only one file.</translation>
    </message>
    <message>
        <source>没有日历数据：所有期限都按周一至周五估算。</source>
        <extracomment>The largest number of working days a promise may span (about 14 years): anything larger is a typing error.</extracomment>
        <translation>No calendar data: every deadline is estimated with Monday to Friday as working days.</translation>
    </message>
    <message>
        <source>日历数据覆盖至{year}年</source>
        <translation>calendar data covers up to {year}</translation>
    </message>
    <message>
        <source>工作日数应为1至{max}之间的整数，收到的是{n}。</source>
        <translation>The number of working days should be a whole number from 1 to {max}; got {n}.</translation>
    </message>
    <message>
        <source>日期超出可计算的范围。</source>
        <translation>The date is outside the range that can be computed.</translation>
    </message>
    <message>
        <source>日期“{value}”无效，请写成 2026-09-30 的格式。</source>
        <extracomment>argparse&apos;s English refusals, in Chinese (what is not listed is shown as argparse says it).</extracomment>
        <translation>The date &quot;{value}&quot; is not valid; write it like 2026-09-30.</translation>
    </message>
    <message>
        <source>工作日数应为1至{max}之间的整数，收到的是“{value}”。</source>
        <translation>The number of working days should be a whole number from 1 to {max}; got &quot;{value}&quot;.</translation>
    </message>
    <message>
        <source>受理日期{start}，办理时限{n}个工作日，承诺办结日期{end}。</source>
        <translation>Accepted on {start}, time limit {n} working days, promised completion {end}.</translation>
    </message>
    <message>
        <source>估算：{years}年的节假日安排尚未录入，按周一至周五为工作日计算；{coverage}。补录后请重新计算。</source>
        <translation>Estimated: the holidays of {years} are not entered yet, so Monday to Friday count as working days; {coverage}. Recompute once they are entered.</translation>
    </message>
    <message>
        <source>注意：{problem}</source>
        <translation>Note: {problem}</translation>
    </message>
</context>
</TS>
