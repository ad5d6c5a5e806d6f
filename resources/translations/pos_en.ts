<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>InboxModel</name>
        <message>
            <source>已支付 Paid</source>
            <translation>Paid</translation>
        </message>
        <message>
            <source>已预约 Reserved</source>
            <translation>Reserved</translation>
        </message>
        <message>
            <source>加油中 Fuelling</source>
            <translation>Fuelling</translation>
        </message>
        <message>
            <source>已完成 Completed</source>
            <translation>Completed</translation>
        </message>
        <message>
            <source>已取消 Cancelled</source>
            <translation>Cancelled</translation>
        </message>
        <message>
            <source>退款申请 Refund requested</source>
            <translation>Refund requested</translation>
        </message>
        <message>
            <source>{0}号油枪 {1} / Nozzle {0} · {1}</source>
            <translation>Nozzle {0} · {1}</translation>
        </message>
        <message>
            <source>{0}号油枪 小程序订单 / Nozzle {0} · App order</source>
            <translation>Nozzle {0} · App order</translation>
        </message>
        <message>
            <source>自提 {0} / Pickup {0}</source>
            <translation>Pickup {0}</translation>
        </message>
        <message>
            <source>锁定: {0} {1} / Locked: {0} {1}</source>
            <translation>Locked: {0} {1}</translation>
        </message>
        <message>
            <source>本机结算中 Settling here</source>
            <translation>Settling here</translation>
        </message>
        <message>
            <source>待支付 Payable</source>
            <translation>Payable</translation>
        </message>
        <message>
            <source>待自提 Awaiting pickup</source>
            <translation>Awaiting pickup</translation>
        </message>
        <message>
            <source>油枪不符 Wrong nozzle</source>
            <translation>Wrong nozzle</translation>
        </message>
        <message>
            <source>未加满 需退款 Under-run</source>
            <translation>Under-run</translation>
        </message>
        <message>
            <source>超时 Timed out</source>
            <translation>Timed out</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>启动未完成，请重启或联系技术支持 / Start-up did not complete: restart or call support</source>
            <translation>Start-up did not complete: restart or call support</translation>
        </message>
        <message>
            <source>小票 Receipts</source>
            <translation>Receipts</translation>
        </message>
        <message>
            <source>小票与重打 Receipts and reprint</source>
            <translation>Receipts and reprint</translation>
        </message>
        <message>
            <source>油枪状态 Nozzle status</source>
            <translation>Nozzle status</translation>
        </message>
        <message>
            <source>会员 Members</source>
            <translation>Members</translation>
        </message>
        <message>
            <source>会员查询 Member lookup</source>
            <translation>Member lookup</translation>
        </message>
        <message>
            <source>未连接站点 No station</source>
            <translation>No station</translation>
        </message>
        <message>
            <source>加油站收银台 - {0} - {1} / Station till - {0} - {1}</source>
            <translation>Station till - {0} - {1}</translation>
        </message>
        <message>
            <source>小程序订单 App orders ({0})</source>
            <translation>App orders ({0})</translation>
        </message>
        <message>
            <source>未登录 Not signed in</source>
            <translation>Not signed in</translation>
        </message>
        <message>
            <source>加油员 Attendant</source>
            <translation>Attendant</translation>
        </message>
        <message>
            <source>收银员 Cashier</source>
            <translation>Cashier</translation>
        </message>
        <message>
            <source>店长 Manager</source>
            <translation>Manager</translation>
        </message>
        <message>
            <source>技术支持 Support</source>
            <translation>Support</translation>
        </message>
        <message>
            <source>正在连接 Connecting</source>
            <translation>Connecting</translation>
        </message>
        <message>
            <source>已连接 Online</source>
            <translation>Online</translation>
        </message>
        <message>
            <source>连接不稳定 Degraded</source>
            <translation>Degraded</translation>
        </message>
        <message>
            <source>离线 Offline since {0}</source>
            <translation>Offline since {0}</translation>
        </message>
    </context>
    <context>
        <name>QtBlockersList</name>
        <message>
            <source>✓ 没有待处理事项 / Nothing blocks the handover</source>
            <translation>Nothing blocks the handover</translation>
        </message>
        <message>
            <source>去处理 Go</source>
            <translation>Go</translation>
        </message>
    </context>
    <context>
        <name>QtCameraDialog</name>
        <message>
            <source>扫码 Scan with the camera</source>
            <translation>Scan with the camera</translation>
        </message>
        <message>
            <source>等待扫码 Waiting for a code</source>
            <translation>Waiting for a code</translation>
        </message>
        <message>
            <source>关闭 Close (Esc)</source>
            <translation>Close (Esc)</translation>
        </message>
    </context>
    <context>
        <name>QtCashCount</name>
        <message>
            <source>差异说明 (店长) / Manager's reason for the variance</source>
            <translation>Manager's reason for the variance</translation>
        </message>
        <message>
            <source>实点 Counted {0}</source>
            <translation>Counted {0}</translation>
        </message>
        <message>
            <source>应有 Expected —</source>
            <translation>Expected —</translation>
        </message>
        <message>
            <source>应有 Expected {0}</source>
            <translation>Expected {0}</translation>
        </message>
        <message>
            <source>差异 Variance {0}</source>
            <translation>Variance {0}</translation>
        </message>
    </context>
    <context>
        <name>QtConnectivityLabel</name>
        <message>
            <source>点击查看未上传记录 / Click for unsent records</source>
            <translation>Click for unsent records</translation>
        </message>
        <message>
            <source>{0} 条未上传 unsent</source>
            <translation>{0} unsent</translation>
        </message>
        <message>
            <source>{0} 条被拒 rejected</source>
            <translation>{0} rejected</translation>
        </message>
        <message>
            <source>正在连接 Connecting</source>
            <translation>Connecting</translation>
        </message>
        <message>
            <source>已连接 Online</source>
            <translation>Online</translation>
        </message>
        <message>
            <source>连接不稳定 Degraded since {0}</source>
            <translation>Degraded since {0}</translation>
        </message>
        <message>
            <source>离线 Offline since {0}</source>
            <translation>Offline since {0}</translation>
        </message>
    </context>
    <context>
        <name>QtCounter</name>
        <message>
            <source>没有待支付的挂单 / Nothing payable to settle</source>
            <translation>Nothing payable to settle</translation>
        </message>
        <message>
            <source>自提订单请用核销 (F4) / Redeem pickups with the write-off screen</source>
            <translation>Redeem pickups with the write-off screen</translation>
        </message>
        <message>
            <source>锁定: {0} {1} / Held by {0} {1}</source>
            <translation>Held by {0} {1}</translation>
        </message>
        <message>
            <source>正在锁定… Locking</source>
            <translation>Locking</translation>
        </message>
        <message>
            <source>已收款，找零 {0} / Paid, change {0}</source>
            <translation>Paid, change {0}</translation>
        </message>
        <message>
            <source>已关联会员 {0} / Member attached</source>
            <translation>Member attached</translation>
        </message>
        <message>
            <source>订单已完成 {0} / Order completed</source>
            <translation>Order completed</translation>
        </message>
        <message>
            <source>只有油枪不符的订单可改绑 / Only a wrong-nozzle order can be rebound</source>
            <translation>Only a wrong-nozzle order can be rebound</translation>
        </message>
        <message>
            <source>已申请退款 {0} / Refund requested {1}</source>
            <translation>Refund requested {1}</translation>
        </message>
        <message>
            <source>订单 {0} 已改绑到 {1}号油枪 / Order {0} moved to nozzle {1}</source>
            <translation>Order {0} moved to nozzle {1}</translation>
        </message>
        <message>
            <source>作废 Void</source>
            <translation>Void</translation>
        </message>
        <message>
            <source>作废原因 Reason</source>
            <translation>Reason</translation>
        </message>
        <message>
            <source>已作废 Voided</source>
            <translation>Voided</translation>
        </message>
    </context>
    <context>
        <name>QtDemoMenu</name>
        <message>
            <source>演示 Demo</source>
            <translation>Demo</translation>
        </message>
        <message>
            <source>停止后台 Stop backend</source>
            <translation>Stop backend</translation>
        </message>
        <message>
            <source>启动后台 Start backend</source>
            <translation>Start backend</translation>
        </message>
        <message>
            <source>记录演示销售 Record a demo sale (¥200.00)</source>
            <translation>Record a demo sale (¥200.00)</translation>
        </message>
    </context>
    <context>
        <name>QtHandoverScreen</name>
        <message>
            <source>交班 / 班结 Shift handover</source>
            <translation>Shift handover</translation>
        </message>
        <message>
            <source>1. 待处理 Blockers</source>
            <translation>1. Blockers</translation>
        </message>
        <message>
            <source>2. 泵码与油品 Meters and grades</source>
            <translation>2. Meters and grades</translation>
        </message>
        <message>
            <source>截点 读泵码 Take the cut</source>
            <translation>Take the cut</translation>
        </message>
        <message>
            <source>尚未截点 / No cut taken yet</source>
            <translation>No cut taken yet</translation>
        </message>
        <message>
            <source>泵码表 Meters</source>
            <translation>Meters</translation>
        </message>
        <message>
            <source>图表 Charts</source>
            <translation>Charts</translation>
        </message>
        <message>
            <source>油品 Grade</source>
            <translation>Grade</translation>
        </message>
        <message>
            <source>笔数 Fills</source>
            <translation>Fills</translation>
        </message>
        <message>
            <source>升 Litres</source>
            <translation>Litres</translation>
        </message>
        <message>
            <source>金额 Amount</source>
            <translation>Amount</translation>
        </message>
        <message>
            <source>3. 汇总 Totals</source>
            <translation>3. Totals</translation>
        </message>
        <message>
            <source>支付方式 Method</source>
            <translation>Method</translation>
        </message>
        <message>
            <source>笔数 Sales</source>
            <translation>Sales</translation>
        </message>
        <message>
            <source>收款 Taken</source>
            <translation>Taken</translation>
        </message>
        <message>
            <source>退款 Refunded</source>
            <translation>Refunded</translation>
        </message>
        <message>
            <source>净额 Net</source>
            <translation>Net</translation>
        </message>
        <message>
            <source>核销/作废/退款 Item</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>笔数/方式 Detail</source>
            <translation>Detail</translation>
        </message>
        <message>
            <source>经办 Who: why</source>
            <translation>Who: why</translation>
        </message>
        <message>
            <source>4. 现金清点 Cash count</source>
            <translation>4. Cash count</translation>
        </message>
        <message>
            <source>5. 交接签字 Sign-off</source>
            <translation>5. Sign-off</translation>
        </message>
        <message>
            <source>交班人 Outgoing</source>
            <translation>Outgoing</translation>
        </message>
        <message>
            <source>接班人 Incoming</source>
            <translation>Incoming</translation>
        </message>
        <message>
            <source>下一班备用金 Next float (元)</source>
            <translation>Next float</translation>
        </message>
        <message>
            <source>开班 Open shift</source>
            <translation>Open shift</translation>
        </message>
        <message>
            <source>X 报表 X report</source>
            <translation>X report</translation>
        </message>
        <message>
            <source>班结并打印 Z 报表 Close + Z report</source>
            <translation>Close + Z report</translation>
        </message>
        <message>
            <source>历史 History</source>
            <translation>History</translation>
        </message>
        <message>
            <source>当前没有班次 / No shift is open</source>
            <translation>No shift is open</translation>
        </message>
        <message>
            <source>第 {0} 班 · {1} 开班 · {2} / Shift {0}</source>
            <translation>Shift {0}</translation>
        </message>
        <message>
            <source>请先登录 / Sign in first</source>
            <translation>Sign in first</translation>
        </message>
        <message>
            <source>离线截点 (待上传) / offline cut, pending upload</source>
            <translation>offline cut, pending upload</translation>
        </message>
        <message>
            <source>后台截点 / backend cut</source>
            <translation>backend cut</translation>
        </message>
        <message>
            <source>截点 Cut {0} · {1} · {2} 笔 sales</source>
            <translation>Cut {0} · {1} · {2} sales</translation>
        </message>
        <message>
            <source>X 报表已打印 / X report printed</source>
            <translation>X report printed</translation>
        </message>
        <message>
            <source>第 {0} 班 · {1} / Shift {0}</source>
            <translation>Shift {0}</translation>
        </message>
        <message>
            <source>已上传 uploaded</source>
            <translation>uploaded</translation>
        </message>
        <message>
            <source>待上传 pending upload</source>
            <translation>pending upload</translation>
        </message>
        <message>
            <source>第 {0} 班已班结，Z 报表已打印 ({1})；下一班已开，备用金 {2} / Shift closed, Z report printed</source>
            <translation>Shift closed, Z report printed</translation>
        </message>
    </context>
    <context>
        <name>QtInbox</name>
        <message>
            <source>待结算 Inbox ({0})</source>
            <translation>Inbox ({0})</translation>
        </message>
    </context>
    <context>
        <name>QtMemberLookupDialog</name>
        <message>
            <source>会员查询 Member lookup</source>
            <translation>Member lookup</translation>
        </message>
        <message>
            <source>手机号 / 手机后四位 / 会员卡号</source>
            <translation>手机号 / 手机后四位 / 会员卡号</translation>
        </message>
        <message>
            <source>查询 Search</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>正在查询… Searching</source>
            <translation>Searching</translation>
        </message>
        <message>
            <source>未找到会员 No member found</source>
            <translation>No member found</translation>
        </message>
        <message>
            <source>找到 {0} 位会员，请核对后选择 / {0} members match: pick one</source>
            <translation>{0} members match: pick one</translation>
        </message>
    </context>
    <context>
        <name>QtMeterTable</name>
        <message>
            <source>差异超出允许范围 / Difference beyond tolerance</source>
            <translation>Difference beyond tolerance</translation>
        </message>
    </context>
    <context>
        <name>QtNozzleTile</name>
        <message>
            <source>空闲 Idle</source>
            <translation>Idle</translation>
        </message>
        <message>
            <source>提枪待授权 Nozzle up</source>
            <translation>Nozzle up</translation>
        </message>
        <message>
            <source>已授权 Authorized</source>
            <translation>Authorized</translation>
        </message>
        <message>
            <source>加油中 Fuelling</source>
            <translation>Fuelling</translation>
        </message>
        <message>
            <source>暂停 Paused</source>
            <translation>Paused</translation>
        </message>
        <message>
            <source>待支付 Payable</source>
            <translation>Payable</translation>
        </message>
        <message>
            <source>已关闭 Closed</source>
            <translation>Closed</translation>
        </message>
        <message>
            <source>离线 Offline</source>
            <translation>Offline</translation>
        </message>
        <message>
            <source>故障 Fault</source>
            <translation>Fault</translation>
        </message>
        <message>
            <source>{0}号 / No. {0}</source>
            <translation>No. {0}</translation>
        </message>
        <message>
            <source>{0}号机 / Pump {0}</source>
            <translation>Pump {0}</translation>
        </message>
        <message>
            <source>单价 Unit price {0}/L</source>
            <translation>Unit price {0}/L</translation>
        </message>
        <message>
            <source>小程序 Order {0}</source>
            <translation>Order {0}</translation>
        </message>
        <message>
            <source>{0}号油枪 / Nozzle {0}</source>
            <translation>Nozzle {0}</translation>
        </message>
        <message>
            <source>挂单 Unpaid {0}</source>
            <translation>Unpaid {0}</translation>
        </message>
        <message>
            <source>数据过时 stale</source>
            <translation>stale</translation>
        </message>
    </context>
    <context>
        <name>QtOrderExceptionDialog</name>
        <message>
            <source>{0} · {1}号油枪 · 预付 {2}</source>
            <translation>{0} · {1}号油枪 · 预付 {2}</translation>
        </message>
    </context>
    <context>
        <name>QtOrderRebindDialog</name>
        <message>
            <source>改绑油枪 Rebind nozzle</source>
            <translation>Rebind nozzle</translation>
        </message>
        <message>
            <source>正确的油枪号 Right nozzle number</source>
            <translation>Right nozzle number</translation>
        </message>
    </context>
    <context>
        <name>QtOrderRefundDialog</name>
        <message>
            <source>申请退款 Refund request</source>
            <translation>Refund request</translation>
        </message>
        <message>
            <source>退款金额 Amount</source>
            <translation>Amount</translation>
        </message>
        <message>
            <source>未加满 Under-run</source>
            <translation>Under-run</translation>
        </message>
        <message>
            <source>退款原因 Reason (必填 required)</source>
            <translation>Reason (required)</translation>
        </message>
    </context>
    <context>
        <name>QtOutboxDialog</name>
        <message>
            <source>时间 Time</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>内容 What</source>
            <translation>What</translation>
        </message>
        <message>
            <source>员工 Staff</source>
            <translation>Staff</translation>
        </message>
        <message>
            <source>状态 State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>次数 Attempts</source>
            <translation>Attempts</translation>
        </message>
        <message>
            <source>原因 Reason</source>
            <translation>Reason</translation>
        </message>
        <message>
            <source>待上传 Pending</source>
            <translation>Pending</translation>
        </message>
        <message>
            <source>发送中 Sent</source>
            <translation>Sent</translation>
        </message>
        <message>
            <source>已确认 Acknowledged</source>
            <translation>Acknowledged</translation>
        </message>
        <message>
            <source>被拒 Rejected</source>
            <translation>Rejected</translation>
        </message>
        <message>
            <source>未上传记录 Unsent records</source>
            <translation>Unsent records</translation>
        </message>
        <message>
            <source>刷新 Refresh</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <source>{0} 条未上传 unsent · {1} 条被拒 rejected</source>
            <translation>{0} unsent · {1} rejected</translation>
        </message>
        <message>
            <source>（被拒记录请店长处理 / a manager must review rejected records）</source>
            <translation>a manager must review rejected records）</translation>
        </message>
    </context>
    <context>
        <name>QtPairingDialog</name>
        <message>
            <source>配对收银台 Pair this till</source>
            <translation>Pair this till</translation>
        </message>
        <message>
            <source>6 位激活码 six-digit code</source>
            <translation>six-digit code</translation>
        </message>
        <message>
            <source>请向店长索取一次性激活码 / Ask the station manager for a one-time activation code.</source>
            <translation>Ask the station manager for a one-time activation code.</translation>
        </message>
        <message>
            <source>后台地址 Backend</source>
            <translation>Backend</translation>
        </message>
        <message>
            <source>激活码 Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <source>收银台名称 Till name</source>
            <translation>Till name</translation>
        </message>
        <message>
            <source>配对 Pair</source>
            <translation>Pair</translation>
        </message>
        <message>
            <source>后台地址应以 http:// 或 https:// 开头 / The backend URL starts with http(s)://</source>
            <translation>The backend URL starts with http(s)://</translation>
        </message>
        <message>
            <source>激活码为 6 位数字 / The activation code has six digits</source>
            <translation>The activation code has six digits</translation>
        </message>
        <message>
            <source>请填写收银台名称 / Name this till</source>
            <translation>Name this till</translation>
        </message>
    </context>
    <context>
        <name>QtReceiptsDialog</name>
        <message>
            <source>小票 Receipts</source>
            <translation>Receipts</translation>
        </message>
        <message>
            <source>选择一张小票 Pick a receipt</source>
            <translation>Pick a receipt</translation>
        </message>
        <message>
            <source>重打 Reprint</source>
            <translation>Reprint</translation>
        </message>
        <message>
            <source>关闭 Close (Esc)</source>
            <translation>Close (Esc)</translation>
        </message>
        <message>
            <source>还没有打印过小票 Nothing printed yet</source>
            <translation>Nothing printed yet</translation>
        </message>
        <message>
            <source>已重打 Reprint queued: </source>
            <translation>Reprint queued: </translation>
        </message>
    </context>
    <context>
        <name>QtRefundDialog</name>
        <message>
            <source>退款 Refund</source>
            <translation>Refund</translation>
        </message>
        <message>
            <source>退款金额 Amount</source>
            <translation>Amount</translation>
        </message>
        <message>
            <source>退款原因 Reason (必填 required)</source>
            <translation>Reason (required)</translation>
        </message>
        <message>
            <source>本机销售 Sales at this till</source>
            <translation>Sales at this till</translation>
        </message>
        <message>
            <source>已退款 Refunded {0}: {1}</source>
            <translation>Refunded {0}: {1}</translation>
        </message>
    </context>
    <context>
        <name>QtShiftCharts</name>
        <message>
            <source>每小时销售 Sales by hour</source>
            <translation>Sales by hour</translation>
        </message>
        <message>
            <source>金额 Amount</source>
            <translation>Amount</translation>
        </message>
        <message>
            <source>油品销售 By grade</source>
            <translation>By grade</translation>
        </message>
        <message>
            <source>升 Litres</source>
            <translation>Litres</translation>
        </message>
        <message>
            <source>计量与销售 Metered vs sold</source>
            <translation>Metered vs sold</translation>
        </message>
        <message>
            <source>计量 Metered</source>
            <translation>Metered</translation>
        </message>
        <message>
            <source>销售 Sold</source>
            <translation>Sold</translation>
        </message>
    </context>
    <context>
        <name>QtShiftHistory</name>
        <message>
            <source>班次历史 Shift history</source>
            <translation>Shift history</translation>
        </message>
        <message>
            <source>班次 No.</source>
            <translation>No.</translation>
        </message>
        <message>
            <source>开班 Opened</source>
            <translation>Opened</translation>
        </message>
        <message>
            <source>截点 Cut</source>
            <translation>Cut</translation>
        </message>
        <message>
            <source>状态 State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>实点 Counted</source>
            <translation>Counted</translation>
        </message>
        <message>
            <source>差异 Variance</source>
            <translation>Variance</translation>
        </message>
        <message>
            <source>上传 Upload</source>
            <translation>Upload</translation>
        </message>
        <message>
            <source>待上传 pending</source>
            <translation>pending</translation>
        </message>
        <message>
            <source>本机未打印此班报表 / No report printed here</source>
            <translation>No report printed here</translation>
        </message>
    </context>
    <context>
        <name>QtSignInScreen</name>
        <message>
            <source>登录 Sign in</source>
            <translation>Sign in</translation>
        </message>
        <message>
            <source>{0} · 请登录 Sign in</source>
            <translation>{0} · Sign in</translation>
        </message>
        <message>
            <source>工号 Staff number</source>
            <translation>Staff number</translation>
        </message>
        <message>
            <source>密码 PIN</source>
            <translation>PIN</translation>
        </message>
        <message>
            <source>正在验证… Checking</source>
            <translation>Checking</translation>
        </message>
    </context>
    <context>
        <name>QtSignOff</name>
        <message>
            <source>工号 Staff no.</source>
            <translation>Staff no.</translation>
        </message>
        <message>
            <source>密码 PIN</source>
            <translation>PIN</translation>
        </message>
        <message>
            <source>确认 Confirm</source>
            <translation>Confirm</translation>
        </message>
        <message>
            <source>未确认 Not signed</source>
            <translation>Not signed</translation>
        </message>
    </context>
    <context>
        <name>QtTenderDialog</name>
        <message>
            <source>收款 Tender</source>
            <translation>Tender</translation>
        </message>
        <message>
            <source>{0}号油枪 {1}  {2}</source>
            <translation>{0}号油枪 {1}  {2}</translation>
        </message>
        <message>
            <source>未关联会员 (F3 会员) No member</source>
            <translation>No member</translation>
        </message>
        <message>
            <source>收款金额 Amount given</source>
            <translation>Amount given</translation>
        </message>
        <message>
            <source>分单 Split part (Ctrl+P)</source>
            <translation>Split part (Ctrl+P)</translation>
        </message>
        <message>
            <source>确认收款 Confirm (Enter)</source>
            <translation>Confirm (Enter)</translation>
        </message>
        <message>
            <source>返回 Back (Esc)</source>
            <translation>Back (Esc)</translation>
        </message>
        <message>
            <source>优惠券 Coupon (Ctrl+Q)</source>
            <translation>Coupon (Ctrl+Q)</translation>
        </message>
        <message>
            <source>收款 Given</source>
            <translation>Given</translation>
        </message>
        <message>
            <source>会员 {0} {1} · 钱包 {2}</source>
            <translation>会员 {0} {1} · 钱包 {2}</translation>
        </message>
        <message>
            <source>不用券 No coupon</source>
            <translation>No coupon</translation>
        </message>
        <message>
            <source>小计 Subtotal  {0}</source>
            <translation>Subtotal {0}</translation>
        </message>
        <message>
            <source>应收 {0}</source>
            <translation>应收 {0}</translation>
        </message>
        <message>
            <source>已收 Taken: {0}</source>
            <translation>Taken: {0}</translation>
        </message>
        <message>
            <source>找零 Change {0}</source>
            <translation>Change {0}</translation>
        </message>
        <message>
            <source>已收款 Paid · 找零 Change {0}</source>
            <translation>Paid · Change {0}</translation>
        </message>
    </context>
    <context>
        <name>QtWriteOffScreen</name>
        <message>
            <source>核销 Write-off</source>
            <translation>Write-off</translation>
        </message>
        <message>
            <source>6位核销码</source>
            <translation>6位核销码</translation>
        </message>
        <message>
            <source>查询 Look up</source>
            <translation>Look up</translation>
        </message>
        <message>
            <source>扫码 Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <source>面值（元）Value in yuan</source>
            <translation>Value in yuan</translation>
        </message>
        <message>
            <source>确认核销 Confirm (Enter)</source>
            <translation>Confirm (Enter)</translation>
        </message>
        <message>
            <source>取消 Cancel (Esc)</source>
            <translation>Cancel (Esc)</translation>
        </message>
        <message>
            <source>正在查询… Looking up</source>
            <translation>Looking up</translation>
        </message>
        <message>
            <source>正在核销… Redeeming</source>
            <translation>Redeeming</translation>
        </message>
        <message>
            <source>离线核销：后台无法连接，限额 {0} / Offline, up to {0}</source>
            <translation>Offline, up to {0}</translation>
        </message>
        <message>
            <source>请核对后按 Enter 确认 / Check, then Enter to confirm</source>
            <translation>Check, then Enter to confirm</translation>
        </message>
        <message>
            <source>核销成功 Redeemed：{0} {1}</source>
            <translation>Redeemed：{0} {1}</translation>
        </message>
    </context>
    <context>
        <name>QtWriteOffToday</name>
        <message>
            <source>今日核销 Today's write-offs</source>
            <translation>Today's write-offs</translation>
        </message>
    </context>
    <context>
        <name>window</name>
        <message>
            <source>班结 Shift</source>
            <translation>Shift</translation>
        </message>
        <message>
            <source>交班 Handover</source>
            <translation>Handover</translation>
        </message>
        <message>
            <source>收银 Counter</source>
            <translation>Counter</translation>
        </message>
        <message>
            <source>待结算 Inbox</source>
            <translation>Inbox</translation>
        </message>
        <message>
            <source>收款 Tender</source>
            <translation>Tender</translation>
        </message>
        <message>
            <source>作废 Void</source>
            <translation>Void</translation>
        </message>
        <message>
            <source>退款 Refund</source>
            <translation>Refund</translation>
        </message>
        <message>
            <source>锁屏 Lock</source>
            <translation>Lock</translation>
        </message>
        <message>
            <source>核销 Write-off</source>
            <translation>Write-off</translation>
        </message>
    </context>
    <context>
        <name>pos.any</name>
        <message>
            <source>1. 待处理 Blockers</source>
            <translation>1. Blockers</translation>
        </message>
        <message>
            <source>2. 泵码与油品 Meters and grades</source>
            <translation>2. Meters and grades</translation>
        </message>
        <message>
            <source>3. 汇总 Totals</source>
            <translation>3. Totals</translation>
        </message>
        <message>
            <source>4. 现金清点 Cash count</source>
            <translation>4. Cash count</translation>
        </message>
        <message>
            <source>5. 交接签字 Sign-off</source>
            <translation>5. Sign-off</translation>
        </message>
        <message>
            <source>6 位激活码 six-digit code</source>
            <translation>six-digit code</translation>
        </message>
        <message>
            <source>6位核销码</source>
            <translation>6位核销码</translation>
        </message>
        <message>
            <source>X 报表 X report</source>
            <translation>X report</translation>
        </message>
        <message>
            <source>X 报表已打印 / X report printed</source>
            <translation>X report printed</translation>
        </message>
        <message>
            <source>{0} · {1}号油枪 · 预付 {2}</source>
            <translation>{0} · {1}号油枪 · 预付 {2}</translation>
        </message>
        <message>
            <source>{0} · 请登录 Sign in</source>
            <translation>{0} · Sign in</translation>
        </message>
        <message>
            <source>{0} 条未上传 unsent</source>
            <translation>{0} unsent</translation>
        </message>
        <message>
            <source>{0} 条未上传 unsent · {1} 条被拒 rejected</source>
            <translation>{0} unsent · {1} rejected</translation>
        </message>
        <message>
            <source>{0} 条被拒 rejected</source>
            <translation>{0} rejected</translation>
        </message>
        <message>
            <source>{0}号 / No. {0}</source>
            <translation>No. {0}</translation>
        </message>
        <message>
            <source>{0}号机 / Pump {0}</source>
            <translation>Pump {0}</translation>
        </message>
        <message>
            <source>{0}号油枪 / Nozzle {0}</source>
            <translation>Nozzle {0}</translation>
        </message>
        <message>
            <source>{0}号油枪 {1}  {2}</source>
            <translation>{0}号油枪 {1}  {2}</translation>
        </message>
        <message>
            <source>{0}号油枪 {1} / Nozzle {0} · {1}</source>
            <translation>Nozzle {0} · {1}</translation>
        </message>
        <message>
            <source>{0}号油枪 小程序订单 / Nozzle {0} · App order</source>
            <translation>Nozzle {0} · App order</translation>
        </message>
        <message>
            <source>✓ 没有待处理事项 / Nothing blocks the handover</source>
            <translation>Nothing blocks the handover</translation>
        </message>
        <message>
            <source>上传 Upload</source>
            <translation>Upload</translation>
        </message>
        <message>
            <source>下一班备用金 Next float (元)</source>
            <translation>Next float</translation>
        </message>
        <message>
            <source>不用券 No coupon</source>
            <translation>No coupon</translation>
        </message>
        <message>
            <source>交班 / 班结 Shift handover</source>
            <translation>Shift handover</translation>
        </message>
        <message>
            <source>交班 Handover</source>
            <translation>Handover</translation>
        </message>
        <message>
            <source>交班人 Outgoing</source>
            <translation>Outgoing</translation>
        </message>
        <message>
            <source>今日核销 Today's write-offs</source>
            <translation>Today's write-offs</translation>
        </message>
        <message>
            <source>优惠券 Coupon (Ctrl+Q)</source>
            <translation>Coupon (Ctrl+Q)</translation>
        </message>
        <message>
            <source>会员 Members</source>
            <translation>Members</translation>
        </message>
        <message>
            <source>会员 {0} {1} · 钱包 {2}</source>
            <translation>会员 {0} {1} · 钱包 {2}</translation>
        </message>
        <message>
            <source>会员查询 Member lookup</source>
            <translation>Member lookup</translation>
        </message>
        <message>
            <source>作废 Void</source>
            <translation>Void</translation>
        </message>
        <message>
            <source>作废原因 Reason</source>
            <translation>Reason</translation>
        </message>
        <message>
            <source>停止后台 Stop backend</source>
            <translation>Stop backend</translation>
        </message>
        <message>
            <source>关闭 Close (Esc)</source>
            <translation>Close (Esc)</translation>
        </message>
        <message>
            <source>内容 What</source>
            <translation>What</translation>
        </message>
        <message>
            <source>净额 Net</source>
            <translation>Net</translation>
        </message>
        <message>
            <source>分单 Split part (Ctrl+P)</source>
            <translation>Split part (Ctrl+P)</translation>
        </message>
        <message>
            <source>刷新 Refresh</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <source>加油中 Fuelling</source>
            <translation>Fuelling</translation>
        </message>
        <message>
            <source>加油员 Attendant</source>
            <translation>Attendant</translation>
        </message>
        <message>
            <source>加油站收银台 - {0} - {1} / Station till - {0} - {1}</source>
            <translation>Station till - {0} - {1}</translation>
        </message>
        <message>
            <source>升 Litres</source>
            <translation>Litres</translation>
        </message>
        <message>
            <source>单价 Unit price {0}/L</source>
            <translation>Unit price {0}/L</translation>
        </message>
        <message>
            <source>历史 History</source>
            <translation>History</translation>
        </message>
        <message>
            <source>原因 Reason</source>
            <translation>Reason</translation>
        </message>
        <message>
            <source>去处理 Go</source>
            <translation>Go</translation>
        </message>
        <message>
            <source>发送中 Sent</source>
            <translation>Sent</translation>
        </message>
        <message>
            <source>取消 Cancel (Esc)</source>
            <translation>Cancel (Esc)</translation>
        </message>
        <message>
            <source>只有油枪不符的订单可改绑 / Only a wrong-nozzle order can be rebound</source>
            <translation>Only a wrong-nozzle order can be rebound</translation>
        </message>
        <message>
            <source>后台地址 Backend</source>
            <translation>Backend</translation>
        </message>
        <message>
            <source>后台地址应以 http:// 或 https:// 开头 / The backend URL starts with http(s)://</source>
            <translation>The backend URL starts with http(s)://</translation>
        </message>
        <message>
            <source>后台截点 / backend cut</source>
            <translation>backend cut</translation>
        </message>
        <message>
            <source>启动后台 Start backend</source>
            <translation>Start backend</translation>
        </message>
        <message>
            <source>启动未完成，请重启或联系技术支持 / Start-up did not complete: restart or call support</source>
            <translation>Start-up did not complete: restart or call support</translation>
        </message>
        <message>
            <source>员工 Staff</source>
            <translation>Staff</translation>
        </message>
        <message>
            <source>图表 Charts</source>
            <translation>Charts</translation>
        </message>
        <message>
            <source>实点 Counted</source>
            <translation>Counted</translation>
        </message>
        <message>
            <source>实点 Counted {0}</source>
            <translation>Counted {0}</translation>
        </message>
        <message>
            <source>密码 PIN</source>
            <translation>PIN</translation>
        </message>
        <message>
            <source>小票 Receipts</source>
            <translation>Receipts</translation>
        </message>
        <message>
            <source>小票与重打 Receipts and reprint</source>
            <translation>Receipts and reprint</translation>
        </message>
        <message>
            <source>小程序 Order {0}</source>
            <translation>Order {0}</translation>
        </message>
        <message>
            <source>小程序订单 App orders ({0})</source>
            <translation>App orders ({0})</translation>
        </message>
        <message>
            <source>小计 Subtotal  {0}</source>
            <translation>Subtotal {0}</translation>
        </message>
        <message>
            <source>尚未截点 / No cut taken yet</source>
            <translation>No cut taken yet</translation>
        </message>
        <message>
            <source>工号 Staff no.</source>
            <translation>Staff no.</translation>
        </message>
        <message>
            <source>工号 Staff number</source>
            <translation>Staff number</translation>
        </message>
        <message>
            <source>差异 Variance</source>
            <translation>Variance</translation>
        </message>
        <message>
            <source>差异 Variance {0}</source>
            <translation>Variance {0}</translation>
        </message>
        <message>
            <source>差异说明 (店长) / Manager's reason for the variance</source>
            <translation>Manager's reason for the variance</translation>
        </message>
        <message>
            <source>差异超出允许范围 / Difference beyond tolerance</source>
            <translation>Difference beyond tolerance</translation>
        </message>
        <message>
            <source>已上传 uploaded</source>
            <translation>uploaded</translation>
        </message>
        <message>
            <source>已作废 Voided</source>
            <translation>Voided</translation>
        </message>
        <message>
            <source>已关联会员 {0} / Member attached</source>
            <translation>Member attached</translation>
        </message>
        <message>
            <source>已关闭 Closed</source>
            <translation>Closed</translation>
        </message>
        <message>
            <source>已取消 Cancelled</source>
            <translation>Cancelled</translation>
        </message>
        <message>
            <source>已完成 Completed</source>
            <translation>Completed</translation>
        </message>
        <message>
            <source>已授权 Authorized</source>
            <translation>Authorized</translation>
        </message>
        <message>
            <source>已支付 Paid</source>
            <translation>Paid</translation>
        </message>
        <message>
            <source>已收 Taken: {0}</source>
            <translation>Taken: {0}</translation>
        </message>
        <message>
            <source>已收款 Paid · 找零 Change {0}</source>
            <translation>Paid · Change {0}</translation>
        </message>
        <message>
            <source>已收款，找零 {0} / Paid, change {0}</source>
            <translation>Paid, change {0}</translation>
        </message>
        <message>
            <source>已申请退款 {0} / Refund requested {1}</source>
            <translation>Refund requested {1}</translation>
        </message>
        <message>
            <source>已确认 Acknowledged</source>
            <translation>Acknowledged</translation>
        </message>
        <message>
            <source>已连接 Online</source>
            <translation>Online</translation>
        </message>
        <message>
            <source>已退款 Refunded {0}: {1}</source>
            <translation>Refunded {0}: {1}</translation>
        </message>
        <message>
            <source>已重打 Reprint queued: </source>
            <translation>Reprint queued: </translation>
        </message>
        <message>
            <source>已预约 Reserved</source>
            <translation>Reserved</translation>
        </message>
        <message>
            <source>应收 {0}</source>
            <translation>应收 {0}</translation>
        </message>
        <message>
            <source>应有 Expected {0}</source>
            <translation>Expected {0}</translation>
        </message>
        <message>
            <source>应有 Expected —</source>
            <translation>Expected —</translation>
        </message>
        <message>
            <source>店长 Manager</source>
            <translation>Manager</translation>
        </message>
        <message>
            <source>开班 Open shift</source>
            <translation>Open shift</translation>
        </message>
        <message>
            <source>开班 Opened</source>
            <translation>Opened</translation>
        </message>
        <message>
            <source>当前没有班次 / No shift is open</source>
            <translation>No shift is open</translation>
        </message>
        <message>
            <source>待上传 Pending</source>
            <translation>Pending</translation>
        </message>
        <message>
            <source>待上传 pending</source>
            <translation>pending</translation>
        </message>
        <message>
            <source>待上传 pending upload</source>
            <translation>pending upload</translation>
        </message>
        <message>
            <source>待支付 Payable</source>
            <translation>Payable</translation>
        </message>
        <message>
            <source>待结算 Inbox</source>
            <translation>Inbox</translation>
        </message>
        <message>
            <source>待结算 Inbox ({0})</source>
            <translation>Inbox ({0})</translation>
        </message>
        <message>
            <source>待自提 Awaiting pickup</source>
            <translation>Awaiting pickup</translation>
        </message>
        <message>
            <source>截点 Cut</source>
            <translation>Cut</translation>
        </message>
        <message>
            <source>截点 Cut {0} · {1} · {2} 笔 sales</source>
            <translation>Cut {0} · {1} · {2} sales</translation>
        </message>
        <message>
            <source>截点 读泵码 Take the cut</source>
            <translation>Take the cut</translation>
        </message>
        <message>
            <source>手机号 / 手机后四位 / 会员卡号</source>
            <translation>手机号 / 手机后四位 / 会员卡号</translation>
        </message>
        <message>
            <source>扫码 Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <source>扫码 Scan with the camera</source>
            <translation>Scan with the camera</translation>
        </message>
        <message>
            <source>找到 {0} 位会员，请核对后选择 / {0} members match: pick one</source>
            <translation>{0} members match: pick one</translation>
        </message>
        <message>
            <source>找零 Change {0}</source>
            <translation>Change {0}</translation>
        </message>
        <message>
            <source>技术支持 Support</source>
            <translation>Support</translation>
        </message>
        <message>
            <source>挂单 Unpaid {0}</source>
            <translation>Unpaid {0}</translation>
        </message>
        <message>
            <source>接班人 Incoming</source>
            <translation>Incoming</translation>
        </message>
        <message>
            <source>提枪待授权 Nozzle up</source>
            <translation>Nozzle up</translation>
        </message>
        <message>
            <source>支付方式 Method</source>
            <translation>Method</translation>
        </message>
        <message>
            <source>收款 Given</source>
            <translation>Given</translation>
        </message>
        <message>
            <source>收款 Taken</source>
            <translation>Taken</translation>
        </message>
        <message>
            <source>收款 Tender</source>
            <translation>Tender</translation>
        </message>
        <message>
            <source>收款金额 Amount given</source>
            <translation>Amount given</translation>
        </message>
        <message>
            <source>收银 Counter</source>
            <translation>Counter</translation>
        </message>
        <message>
            <source>收银台名称 Till name</source>
            <translation>Till name</translation>
        </message>
        <message>
            <source>收银员 Cashier</source>
            <translation>Cashier</translation>
        </message>
        <message>
            <source>改绑油枪 Rebind nozzle</source>
            <translation>Rebind nozzle</translation>
        </message>
        <message>
            <source>故障 Fault</source>
            <translation>Fault</translation>
        </message>
        <message>
            <source>数据过时 stale</source>
            <translation>stale</translation>
        </message>
        <message>
            <source>时间 Time</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>暂停 Paused</source>
            <translation>Paused</translation>
        </message>
        <message>
            <source>未上传记录 Unsent records</source>
            <translation>Unsent records</translation>
        </message>
        <message>
            <source>未关联会员 (F3 会员) No member</source>
            <translation>No member</translation>
        </message>
        <message>
            <source>未加满 Under-run</source>
            <translation>Under-run</translation>
        </message>
        <message>
            <source>未加满 需退款 Under-run</source>
            <translation>Under-run</translation>
        </message>
        <message>
            <source>未找到会员 No member found</source>
            <translation>No member found</translation>
        </message>
        <message>
            <source>未登录 Not signed in</source>
            <translation>Not signed in</translation>
        </message>
        <message>
            <source>未确认 Not signed</source>
            <translation>Not signed</translation>
        </message>
        <message>
            <source>未连接站点 No station</source>
            <translation>No station</translation>
        </message>
        <message>
            <source>本机未打印此班报表 / No report printed here</source>
            <translation>No report printed here</translation>
        </message>
        <message>
            <source>本机结算中 Settling here</source>
            <translation>Settling here</translation>
        </message>
        <message>
            <source>本机销售 Sales at this till</source>
            <translation>Sales at this till</translation>
        </message>
        <message>
            <source>查询 Look up</source>
            <translation>Look up</translation>
        </message>
        <message>
            <source>查询 Search</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>核销 Write-off</source>
            <translation>Write-off</translation>
        </message>
        <message>
            <source>核销/作废/退款 Item</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>核销成功 Redeemed：{0} {1}</source>
            <translation>Redeemed：{0} {1}</translation>
        </message>
        <message>
            <source>次数 Attempts</source>
            <translation>Attempts</translation>
        </message>
        <message>
            <source>正在查询… Looking up</source>
            <translation>Looking up</translation>
        </message>
        <message>
            <source>正在查询… Searching</source>
            <translation>Searching</translation>
        </message>
        <message>
            <source>正在核销… Redeeming</source>
            <translation>Redeeming</translation>
        </message>
        <message>
            <source>正在连接 Connecting</source>
            <translation>Connecting</translation>
        </message>
        <message>
            <source>正在锁定… Locking</source>
            <translation>Locking</translation>
        </message>
        <message>
            <source>正在验证… Checking</source>
            <translation>Checking</translation>
        </message>
        <message>
            <source>正确的油枪号 Right nozzle number</source>
            <translation>Right nozzle number</translation>
        </message>
        <message>
            <source>每小时销售 Sales by hour</source>
            <translation>Sales by hour</translation>
        </message>
        <message>
            <source>没有待支付的挂单 / Nothing payable to settle</source>
            <translation>Nothing payable to settle</translation>
        </message>
        <message>
            <source>油品 Grade</source>
            <translation>Grade</translation>
        </message>
        <message>
            <source>油品销售 By grade</source>
            <translation>By grade</translation>
        </message>
        <message>
            <source>油枪不符 Wrong nozzle</source>
            <translation>Wrong nozzle</translation>
        </message>
        <message>
            <source>油枪状态 Nozzle status</source>
            <translation>Nozzle status</translation>
        </message>
        <message>
            <source>泵码表 Meters</source>
            <translation>Meters</translation>
        </message>
        <message>
            <source>演示 Demo</source>
            <translation>Demo</translation>
        </message>
        <message>
            <source>激活码 Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <source>激活码为 6 位数字 / The activation code has six digits</source>
            <translation>The activation code has six digits</translation>
        </message>
        <message>
            <source>点击查看未上传记录 / Click for unsent records</source>
            <translation>Click for unsent records</translation>
        </message>
        <message>
            <source>状态 State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>班次 No.</source>
            <translation>No.</translation>
        </message>
        <message>
            <source>班次历史 Shift history</source>
            <translation>Shift history</translation>
        </message>
        <message>
            <source>班结 Shift</source>
            <translation>Shift</translation>
        </message>
        <message>
            <source>班结并打印 Z 报表 Close + Z report</source>
            <translation>Close + Z report</translation>
        </message>
        <message>
            <source>申请退款 Refund request</source>
            <translation>Refund request</translation>
        </message>
        <message>
            <source>登录 Sign in</source>
            <translation>Sign in</translation>
        </message>
        <message>
            <source>确认 Confirm</source>
            <translation>Confirm</translation>
        </message>
        <message>
            <source>确认收款 Confirm (Enter)</source>
            <translation>Confirm (Enter)</translation>
        </message>
        <message>
            <source>确认核销 Confirm (Enter)</source>
            <translation>Confirm (Enter)</translation>
        </message>
        <message>
            <source>离线 Offline</source>
            <translation>Offline</translation>
        </message>
        <message>
            <source>离线 Offline since {0}</source>
            <translation>Offline since {0}</translation>
        </message>
        <message>
            <source>离线截点 (待上传) / offline cut, pending upload</source>
            <translation>offline cut, pending upload</translation>
        </message>
        <message>
            <source>离线核销：后台无法连接，限额 {0} / Offline, up to {0}</source>
            <translation>Offline, up to {0}</translation>
        </message>
        <message>
            <source>空闲 Idle</source>
            <translation>Idle</translation>
        </message>
        <message>
            <source>笔数 Fills</source>
            <translation>Fills</translation>
        </message>
        <message>
            <source>笔数 Sales</source>
            <translation>Sales</translation>
        </message>
        <message>
            <source>笔数/方式 Detail</source>
            <translation>Detail</translation>
        </message>
        <message>
            <source>第 {0} 班 · {1} / Shift {0}</source>
            <translation>Shift {0}</translation>
        </message>
        <message>
            <source>第 {0} 班 · {1} 开班 · {2} / Shift {0}</source>
            <translation>Shift {0}</translation>
        </message>
        <message>
            <source>第 {0} 班已班结，Z 报表已打印 ({1})；下一班已开，备用金 {2} / Shift closed, Z report printed</source>
            <translation>Shift closed, Z report printed</translation>
        </message>
        <message>
            <source>等待扫码 Waiting for a code</source>
            <translation>Waiting for a code</translation>
        </message>
        <message>
            <source>经办 Who: why</source>
            <translation>Who: why</translation>
        </message>
        <message>
            <source>自提 {0} / Pickup {0}</source>
            <translation>Pickup {0}</translation>
        </message>
        <message>
            <source>自提订单请用核销 (F4) / Redeem pickups with the write-off screen</source>
            <translation>Redeem pickups with the write-off screen</translation>
        </message>
        <message>
            <source>被拒 Rejected</source>
            <translation>Rejected</translation>
        </message>
        <message>
            <source>计量 Metered</source>
            <translation>Metered</translation>
        </message>
        <message>
            <source>计量与销售 Metered vs sold</source>
            <translation>Metered vs sold</translation>
        </message>
        <message>
            <source>订单 {0} 已改绑到 {1}号油枪 / Order {0} moved to nozzle {1}</source>
            <translation>Order {0} moved to nozzle {1}</translation>
        </message>
        <message>
            <source>订单已完成 {0} / Order completed</source>
            <translation>Order completed</translation>
        </message>
        <message>
            <source>记录演示销售 Record a demo sale (¥200.00)</source>
            <translation>Record a demo sale (¥200.00)</translation>
        </message>
        <message>
            <source>请先登录 / Sign in first</source>
            <translation>Sign in first</translation>
        </message>
        <message>
            <source>请向店长索取一次性激活码 / Ask the station manager for a one-time activation code.</source>
            <translation>Ask the station manager for a one-time activation code.</translation>
        </message>
        <message>
            <source>请填写收银台名称 / Name this till</source>
            <translation>Name this till</translation>
        </message>
        <message>
            <source>请核对后按 Enter 确认 / Check, then Enter to confirm</source>
            <translation>Check, then Enter to confirm</translation>
        </message>
        <message>
            <source>超时 Timed out</source>
            <translation>Timed out</translation>
        </message>
        <message>
            <source>返回 Back (Esc)</source>
            <translation>Back (Esc)</translation>
        </message>
        <message>
            <source>还没有打印过小票 Nothing printed yet</source>
            <translation>Nothing printed yet</translation>
        </message>
        <message>
            <source>连接不稳定 Degraded</source>
            <translation>Degraded</translation>
        </message>
        <message>
            <source>连接不稳定 Degraded since {0}</source>
            <translation>Degraded since {0}</translation>
        </message>
        <message>
            <source>退款 Refund</source>
            <translation>Refund</translation>
        </message>
        <message>
            <source>退款 Refunded</source>
            <translation>Refunded</translation>
        </message>
        <message>
            <source>退款原因 Reason (必填 required)</source>
            <translation>Reason (required)</translation>
        </message>
        <message>
            <source>退款申请 Refund requested</source>
            <translation>Refund requested</translation>
        </message>
        <message>
            <source>退款金额 Amount</source>
            <translation>Amount</translation>
        </message>
        <message>
            <source>选择一张小票 Pick a receipt</source>
            <translation>Pick a receipt</translation>
        </message>
        <message>
            <source>配对 Pair</source>
            <translation>Pair</translation>
        </message>
        <message>
            <source>配对收银台 Pair this till</source>
            <translation>Pair this till</translation>
        </message>
        <message>
            <source>重打 Reprint</source>
            <translation>Reprint</translation>
        </message>
        <message>
            <source>金额 Amount</source>
            <translation>Amount</translation>
        </message>
        <message>
            <source>销售 Sold</source>
            <translation>Sold</translation>
        </message>
        <message>
            <source>锁定: {0} {1} / Held by {0} {1}</source>
            <translation>Held by {0} {1}</translation>
        </message>
        <message>
            <source>锁定: {0} {1} / Locked: {0} {1}</source>
            <translation>Locked: {0} {1}</translation>
        </message>
        <message>
            <source>锁屏 Lock</source>
            <translation>Lock</translation>
        </message>
        <message>
            <source>面值（元）Value in yuan</source>
            <translation>Value in yuan</translation>
        </message>
        <message>
            <source>（被拒记录请店长处理 / a manager must review rejected records）</source>
            <translation>a manager must review rejected records）</translation>
        </message>
    </context>
</TS>
