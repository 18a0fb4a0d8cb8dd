<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
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
        <source>受理编号</source>
        <translation>Acceptance no.</translation>
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
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>上传</source>
        <translation>Upload</translation>
    </message>
    <message>
        <source>办理状态</source>
        <translation>Processing status</translation>
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
        <source>受理编号、姓名或证件号码；回车查询，清空后回车显示今日</source>
        <translation>Acceptance no., name or ID number; Enter searches, empty + Enter shows today</translation>
    </message>
    <message>
        <source>今日全部</source>
        <translation>All of today</translation>
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
        <source>今日受理 {n} 件</source>
        <translation>{n} applications today</translation>
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
        <source>已交付{name}：{no}</source>
        <translation>Handed out {name}: {no}</translation>
    </message>
    <message>
        <source>该申请没有可打印的文书。</source>
        <translation>This application has no documents to print.</translation>
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
        <source>{name}（第 {seq} 版）</source>
        <translation>{name} (version {seq})</translation>
    </message>
    <message>
        <source> · 补打</source>
        <translation> · reprint</translation>
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
        <source>取消</source>
        <translation>Cancel</translation>
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
        <source>不予受理时必填：写明理由；不属于本中心受理的，写明应向哪个机关申请</source>
        <translation>Required for a refusal: state the reason; if another office is competent, name it</translation>
    </message>
    <message>
        <source>申请信息</source>
        <translation>Application details</translation>
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
        <source>已出具{decision}：{applicant}&#x3000;{item}
受理编号 {no}&#x3000;文书编号 {notice}</source>
        <translation>Issued {decision}: {applicant}&#x3000;{item}
Acceptance no. {no}&#x3000;notice no. {notice}</translation>
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
        <translation>A supervisor ends this session (the clerk's unsaved work is kept for their next login)</translation>
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
        <translation>Enter the supervisor's user name and password.</translation>
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
        <source>一门式社区事务受理台 — 登录</source>
        <translation>Yimen community affairs counter — log in</translation>
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
        <source>一门式社区事务受理台 — {center} {window}</source>
        <translation>Yimen community affairs counter — {center} {window}</translation>
    </message>
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
        <source>重置密码(&amp;R)…</source>
        <translation>&amp;Reset password…</translation>
    </message>
</context>
<context>
    <name>MaterialsPanel</name>
    <message>
        <source>材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <source>空格：已收到/缺少&#x3000;1 已收到&#x3000;2 缺少&#x3000;3 不合格（须写说明）</source>
        <translation>Space: received/missing&#x3000;1 received&#x3000;2 missing&#x3000;3 defective (note required)</translation>
    </message>
    <message>
        <source>选择事项后显示材料清单。</source>
        <translation>The checklist appears once an item is chosen.</translation>
    </message>
    <message>
        <source>本事项没有需要核验的材料。</source>
        <translation>This item needs no materials.</translation>
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
        <source>受理编号</source>
        <translation>Acceptance no.</translation>
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
        <source>办理状态：{status}</source>
        <translation>Processing status: {status}</translation>
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
        <source>受理信息</source>
        <translation>Acceptance</translation>
    </message>
    <message>
        <source>受理编号</source>
        <translation>Acceptance no.</translation>
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
        <source>（估算）</source>
        <translation> (estimated)</translation>
    </message>
    <message>
        <source>承诺办结日</source>
        <translation>Promised by</translation>
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
        <source>材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <source>不需要</source>
        <translation>Not needed</translation>
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
        <source>已作废：受理编号 {no}</source>
        <translation>Voided: acceptance no. {no}</translation>
    </message>
    <message>
        <source>已更正：受理编号 {no}</source>
        <translation>Corrected: acceptance no. {no}</translation>
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
        <translation>Hand it to the account's owner in person, never by phone, text message or chat. This password is shown only this once and cannot be seen again once this window is closed.</translation>
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
        <source>被拒收 {n}</source>
        <translation>Refused: {n}</translation>
    </message>
    <message>
        <source>上次同步 {time}</source>
        <translation>Last sync {time}</translation>
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
</context>
<context>
    <name>accounts</name>
    <message>
        <source>只有值班长可以结束他人的登录，{role}账号不能。</source>
        <translation>Only a supervisor can end another user's session; a {role} account cannot.</translation>
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
        <source>该账号因多次密码错误已锁定，请于 {time} 后再试，或请值班长解锁。</source>
        <translation>This account is locked after repeated wrong passwords. Try again after {time}, or ask the supervisor to unlock it.</translation>
    </message>
    <message>
        <source>用户名或密码不正确，请重新输入。</source>
        <translation>Wrong user name or password. Please try again.</translation>
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
        <translation>You cannot reset your own password; change it once logged in.</translation>
    </message>
    <message>
        <source>值班长只能重置窗口人员的密码；其他账号请找系统管理员。</source>
        <translation>A supervisor can reset clerks' passwords only; for other accounts ask the system administrator.</translation>
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
        <extracomment>Dates outside this range are typing mistakes for every date a counter form asks for.</extracomment>
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
        <source>未能读出{name}的残疾类别和等级（请录入残疾人证号），无法核对“{what}”的条件，请人工核对</source>
        <extracomment>rules.md §2: category digit 5 智力, 6 精神.</extracomment>
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
        <source>{name}为{disability}残疾：重度残疾人护理补贴限一级、二级残疾和三级智力、三级精神残疾</source>
        <translation>{name} has a {disability} disability: the nursing subsidy covers grades 1 and 2, and grade 3 intellectual or mental disability</translation>
    </message>
    <message>
        <source>困难残疾人生活补贴限重残无业人员、低保家庭和低保边缘家庭的残疾人</source>
        <translation>The living subsidy covers severely disabled people without work and disabled people in dibao or near-dibao families</translation>
    </message>
    <message>
        <source>选择了“重残无业”，但{name}为{disability}残疾；重残指一级、二级或三级智力残疾，请核对</source>
        <translation>“Severely disabled without work” was chosen, but {name} has a {disability} disability; severe means grade 1, 2 or grade 3 intellectual; check it</translation>
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
        <source>预约登记日期不能早于今天（{today}）</source>
        <extracomment>民法典 Art. 1047: 结婚年龄，男不得早于二十二周岁，女不得早于二十周岁 (rules.md §5).</extracomment>
        <translation>The appointment cannot be before today ({today})</translation>
    </message>
    <message>
        <source>未能确定{name}的性别，请人工核对法定婚龄（男二十二周岁、女二十周岁）</source>
        <translation>The sex of {name} is unknown; check the legal marriage age by hand (men 22, women 20)</translation>
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
        <source>家庭成员{name}没有录入身份号码：居民经济状况核对需要每位家庭成员的身份信息和授权，请核对</source>
        <translation>Household member {name} has no ID number: the economic-status check needs every member&apos;s identity and authorisation; check it</translation>
    </message>
    <message>
        <source>{name}在家庭成员中重复列出（身份号码相同），请删除重复的一行</source>
        <translation>{name} is listed twice among the household (same ID number); delete the duplicate row</translation>
    </message>
    <message>
        <source>只有已退出（status: retired）的事项才能写退出日期</source>
        <extracomment>``code``: 2–4 capital letters (the department, e.g. MZ 民政, CL 残联, YB 医保, TY 退役军人事务), then 1–3 segments of 2–6 capitals or digits, e.g. ``MZ-SHJZ-001``. Stable for the life of the item. Keys of fields, materials, amounts: snake_case ASCII; a field key becomes the Qt objectName of its widget. Stored values of choices: language-neutral snake_case ASCII (the labels carry the languages). The key of the party-level bool field that records &quot;户籍在本市&quot; when ``residence_required`` is set. The phrase a placeholder time-limit source must contain (catalog-items.md: no Shanghai time limit was found). A value a condition compares with: text (a choice value), an integer or a bool. Display order of categories: the order of the starter catalog in domain/README.md. Types whose constraints may give ``min_length``/``max_length``/``pattern``. Types whose constraints may give ``min``/``max`` (a number; for ``multichoice``, how many may be ticked). Types that need ``choices``. ``required`` of a material: ``true``, ``false`` or a condition. Tags pydantic puts into error locations for :data:`RequiredSpec`; the loader skips them. 全市通办; ``null`` where no public list says (catalog-items.md: &quot;Which items are on the list: NOT FOUND&quot;). Choice values the rules understand (the rules document their meaning and sources).</extracomment>
        <translation>Only a retired item (status: retired) can have a retirement date</translation>
    </message>
    <message>
        <source>退出日期应晚于生效日期 {start}</source>
        <translation>The retirement date must be later than the effective date {start}</translation>
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
        <source>受理回执的纸张：a4（A4 纸）或 thermal80（80 毫米热敏卷纸）</source>
        <translation>the receipt&apos;s paper: a4 (A4 sheet) or thermal80 (80 mm thermal roll)</translation>
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
        <source>配置文件 {path} 中的设置“{key}”{problem}，应为：{expected}。请信息员修改该文件后重新启动。</source>
        <translation>Setting &quot;{key}&quot; in the configuration file {path} {problem}; it should be: {expected}. IT: correct the file and restart.</translation>
    </message>
    <message>
        <source>找不到配置文件 {path}。请信息员按安装说明创建该文件，或用 --config 指定配置文件。</source>
        <translation>The configuration file {path} was not found. IT: create it as the installation guide says, or name one with --config.</translation>
    </message>
    <message>
        <source>无法读取配置文件 {path}（{reason}）。请信息员检查文件权限。</source>
        <translation>Cannot read the configuration file {path} ({reason}). IT: check the file&apos;s permissions.</translation>
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
        <source>无法读取印章图样 {path}（{reason}）：文书将印“盖章处”框。请信息员检查该文件。</source>
        <translation>Cannot read the seal image {path} ({reason}): documents print a seal box instead. Ask IT to check the file.</translation>
    </message>
    <message>
        <source>印章图样 {path} 不是 2 MB 以内的 PNG 图片：文书将印“盖章处”框。请信息员更换该文件。</source>
        <translation>The seal image {path} is not a PNG of at most 2 MB: documents print a seal box instead. Ask IT to replace the file.</translation>
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
        <source>找不到受理编号为 {no} 的申请，请核对编号。</source>
        <translation>No application with case number {no} was found. Check the number.</translation>
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
        <source>数据文件夹只读，记录没有保存。请通知信息员检查数据文件夹的权限。</source>
        <translation>The data folder is read-only; the record was not saved. Ask IT to check its permissions.</translation>
    </message>
    <message>
        <source>数据库出错，记录没有保存。请重试；如持续出现请通知信息员。</source>
        <translation>A database error; the record was not saved. Try again; tell IT if it persists.</translation>
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
        <source>将登记为：{name}</source>
        <translation>Will be stored as: {name}</translation>
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
        <source>请写明不合格材料的问题，补正告知书要逐项说明原因。</source>
        <translation>Write what is wrong with each defective material: the notice states it for each one.</translation>
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
        <source>申请 {no} 已作废，不能更正。</source>
        <translation>Application {no} is voided and cannot be corrected.</translation>
    </message>
    <message>
        <source>申请 {no} 已经作废。</source>
        <translation>Application {no} is already voided.</translation>
    </message>
    <message>
        <source>请写明原因（至少 {n} 个字）。</source>
        <translation>Give a reason (at least {n} characters).</translation>
    </message>
    <message>
        <source>更正和作废需要值班长批准。</source>
        <translation>Corrections and voids need a supervisor&apos;s approval.</translation>
    </message>
    <message>
        <source>找不到受理编号为 {no} 的申请，请核对编号。</source>
        <translation>No application with acceptance no. {no}; check the number.</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>待补正</source>
        <translation>Awaiting materials</translation>
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
        <source>已收到</source>
        <translation>Received</translation>
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
        <source>{form} {count} 份</source>
        <translation>{form} × {count}</translation>
    </message>
    <message>
        <source>（可选）</source>
        <translation> (optional)</translation>
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
    <name>startup</name>
    <message>
        <source>一门式社区事务受理台无法启动</source>
        <extracomment>Pure-Python modules the main window needs beyond those the opened services imported: the item search&apos;s pinyin dictionaries (~0.4 s) and the intake labels. The database worker imports them once the services are handed over (after a waiting login), so the main window opens at once after login. Never Qt modules: ``ui.*`` is imported on the GUI thread only. tests/ui/test_startup.py checks that the main window needs nothing else heavy.</extracomment>
        <translation>Yimen cannot start</translation>
    </message>
    <message>
        <source>一门式社区事务受理台</source>
        <translation>Yimen community affairs counter</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <source>与中心服务器的加密连接校验失败（证书不受信任或已过期）。请信息员检查服务器证书和 CA 设置。</source>
        <extracomment>(connect, read) seconds. A batch of 200 events is answered in well under a second by a healthy server.</extracomment>
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
        <source>中心服务器暂时出错（HTTP {status}），稍后自动重试。</source>
        <translation>The central server had a temporary error (HTTP {status}); retrying automatically later.</translation>
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
        <source>无法使用系统钥匙串保存工位凭证（{reason}）。请信息员在本机启用凭据管理器（Windows）或密钥环服务（UOS/麒麟）后重试；凭证不会写入普通文件。</source>
        <translation>The system keyring cannot keep the workstation credential ({reason}). Ask IT to enable Credential Manager (Windows) or the keyring service (UOS/Kylin) on this computer and try again; the credential is never written to a plain file.</translation>
    </message>
    <message>
        <source>服务器地址“{url}”无效，应以 https:// 开头。</source>
        <extracomment>Beyond this, the clerk and the supervisor are warned: receipt dates come from the workstation&apos;s clock.</extracomment>
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
        <source>本工位尚未在中心服务器注册，无法同步。请信息员执行 yimen enroll 注册本工位。</source>
        <translation>This workstation is not enrolled with the central server and cannot sync. Ask IT to enroll it (yimen enroll).</translation>
    </message>
    <message>
        <source>本机保存的工位凭证属于其他中心或工位，无法同步。请信息员重新注册本工位。</source>
        <translation>The workstation credential stored here belongs to another centre or workstation; cannot sync. Ask IT to enroll this workstation again.</translation>
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
</context>
<context>
    <name>workdays</name>
    <message>
        <source>日历数据文件“{file}”有误：{problem}该文件未被采用，请按日历文件夹中 README.md 的格式改正。</source>
        <extracomment>The largest number of working days a promise may span (about 14 years): anything larger is a typing error. Longest run of days one ``start``/``end`` entry of a data file may cover. The longest holiday period so far is 9 days (春节 2026); a longer range is almost certainly a typing error in a date.</extracomment>
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
