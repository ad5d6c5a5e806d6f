<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>InboxModel</name>
        <message>
            <source>已支付 Paid</source>
            <translation>已支付</translation>
        </message>
        <message>
            <source>已预约 Reserved</source>
            <translation>已预约</translation>
        </message>
        <message>
            <source>加油中 Fuelling</source>
            <translation>加油中</translation>
        </message>
        <message>
            <source>已完成 Completed</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>已取消 Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>退款申请 Refund requested</source>
            <translation>退款申请</translation>
        </message>
        <message>
            <source>{0}号油枪 {1} / Nozzle {0} · {1}</source>
            <translation>{0}号油枪 {1}</translation>
        </message>
        <message>
            <source>{0}号油枪 小程序订单 / Nozzle {0} · App order</source>
            <translation>{0}号油枪 小程序订单</translation>
        </message>
        <message>
            <source>自提 {0} / Pickup {0}</source>
            <translation>自提 {0}</translation>
        </message>
        <message>
            <source>锁定: {0} {1} / Locked: {0} {1}</source>
            <translation>锁定: {0} {1}</translation>
        </message>
        <message>
            <source>本机结算中 Settling here</source>
            <translation>本机结算中</translation>
        </message>
        <message>
            <source>待支付 Payable</source>
            <translation>待支付</translation>
        </message>
        <message>
            <source>待自提 Awaiting pickup</source>
            <translation>待自提</translation>
        </message>
        <message>
            <source>油枪不符 Wrong nozzle</source>
            <translation>油枪不符</translation>
        </message>
        <message>
            <source>未加满 需退款 Under-run</source>
            <translation>未加满 需退款</translation>
        </message>
        <message>
            <source>超时 Timed out</source>
            <translation>超时</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>启动未完成，请重启或联系技术支持 / Start-up did not complete: restart or call support</source>
            <translation>启动未完成，请重启或联系技术支持</translation>
        </message>
        <message>
            <source>小票 Receipts</source>
            <translation>小票</translation>
        </message>
        <message>
            <source>小票与重打 Receipts and reprint</source>
            <translation>小票与重打</translation>
        </message>
        <message>
            <source>油枪状态 Nozzle status</source>
            <translation>油枪状态</translation>
        </message>
        <message>
            <source>会员 Members</source>
            <translation>会员</translation>
        </message>
        <message>
            <source>会员查询 Member lookup</source>
            <translation>会员查询</translation>
        </message>
        <message>
            <source>未连接站点 No station</source>
            <translation>未连接站点</translation>
        </message>
        <message>
            <source>加油站收银台 - {0} - {1} / Station till - {0} - {1}</source>
            <translation>加油站收银台 - {0} - {1}</translation>
        </message>
        <message>
            <source>小程序订单 App orders ({0})</source>
            <translation>小程序订单 ({0})</translation>
        </message>
        <message>
            <source>未登录 Not signed in</source>
            <translation>未登录</translation>
        </message>
        <message>
            <source>加油员 Attendant</source>
            <translation>加油员</translation>
        </message>
        <message>
            <source>收银员 Cashier</source>
            <translation>收银员</translation>
        </message>
        <message>
            <source>店长 Manager</source>
            <translation>店长</translation>
        </message>
        <message>
            <source>技术支持 Support</source>
            <translation>技术支持</translation>
        </message>
        <message>
            <source>正在连接 Connecting</source>
            <translation>正在连接</translation>
        </message>
        <message>
            <source>已连接 Online</source>
            <translation>已连接</translation>
        </message>
        <message>
            <source>连接不稳定 Degraded</source>
            <translation>连接不稳定</translation>
        </message>
        <message>
            <source>离线 Offline since {0}</source>
            <translation>离线 {0}</translation>
        </message>
    </context>
    <context>
        <name>QtBlockersList</name>
        <message>
            <source>✓ 没有待处理事项 / Nothing blocks the handover</source>
            <translation>✓ 没有待处理事项</translation>
        </message>
        <message>
            <source>去处理 Go</source>
            <translation>去处理</translation>
        </message>
    </context>
    <context>
        <name>QtCameraDialog</name>
        <message>
            <source>扫码 Scan with the camera</source>
            <translation>扫码</translation>
        </message>
        <message>
            <source>等待扫码 Waiting for a code</source>
            <translation>等待扫码</translation>
        </message>
        <message>
            <source>关闭 Close (Esc)</source>
            <translation>关闭 (Esc)</translation>
        </message>
    </context>
    <context>
        <name>QtCashCount</name>
        <message>
            <source>差异说明 (店长) / Manager's reason for the variance</source>
            <translation>差异说明 (店长)</translation>
        </message>
        <message>
            <source>实点 Counted {0}</source>
            <translation>实点 {0}</translation>
        </message>
        <message>
            <source>应有 Expected —</source>
            <translation>应有 —</translation>
        </message>
        <message>
            <source>应有 Expected {0}</source>
            <translation>应有 {0}</translation>
        </message>
        <message>
            <source>差异 Variance {0}</source>
            <translation>差异 {0}</translation>
        </message>
    </context>
    <context>
        <name>QtConnectivityLabel</name>
        <message>
            <source>点击查看未上传记录 / Click for unsent records</source>
            <translation>点击查看未上传记录</translation>
        </message>
        <message>
            <source>{0} 条未上传 unsent</source>
            <translation>{0} 条未上传</translation>
        </message>
        <message>
            <source>{0} 条被拒 rejected</source>
            <translation>{0} 条被拒</translation>
        </message>
        <message>
            <source>正在连接 Connecting</source>
            <translation>正在连接</translation>
        </message>
        <message>
            <source>已连接 Online</source>
            <translation>已连接</translation>
        </message>
        <message>
            <source>连接不稳定 Degraded since {0}</source>
            <translation>连接不稳定 {0}</translation>
        </message>
        <message>
            <source>离线 Offline since {0}</source>
            <translation>离线 {0}</translation>
        </message>
    </context>
    <context>
        <name>QtCounter</name>
        <message>
            <source>没有待支付的挂单 / Nothing payable to settle</source>
            <translation>没有待支付的挂单</translation>
        </message>
        <message>
            <source>自提订单请用核销 (F4) / Redeem pickups with the write-off screen</source>
            <translation>自提订单请用核销 (F4)</translation>
        </message>
        <message>
            <source>锁定: {0} {1} / Held by {0} {1}</source>
            <translation>锁定: {0} {1}</translation>
        </message>
        <message>
            <source>正在锁定… Locking</source>
            <translation>正在锁定…</translation>
        </message>
        <message>
            <source>已收款，找零 {0} / Paid, change {0}</source>
            <translation>已收款，找零 {0}</translation>
        </message>
        <message>
            <source>已关联会员 {0} / Member attached</source>
            <translation>已关联会员 {0}</translation>
        </message>
        <message>
            <source>订单已完成 {0} / Order completed</source>
            <translation>订单已完成 {0}</translation>
        </message>
        <message>
            <source>只有油枪不符的订单可改绑 / Only a wrong-nozzle order can be rebound</source>
            <translation>只有油枪不符的订单可改绑</translation>
        </message>
        <message>
            <source>已申请退款 {0} / Refund requested {1}</source>
            <translation>已申请退款 {0}</translation>
        </message>
        <message>
            <source>订单 {0} 已改绑到 {1}号油枪 / Order {0} moved to nozzle {1}</source>
            <translation>订单 {0} 已改绑到 {1}号油枪</translation>
        </message>
        <message>
            <source>作废 Void</source>
            <translation>作废</translation>
        </message>
        <message>
            <source>作废原因 Reason</source>
            <translation>作废原因</translation>
        </message>
        <message>
            <source>已作废 Voided</source>
            <translation>已作废</translation>
        </message>
    </context>
    <context>
        <name>QtDemoMenu</name>
        <message>
            <source>演示 Demo</source>
            <translation>演示</translation>
        </message>
        <message>
            <source>停止后台 Stop backend</source>
            <translation>停止后台</translation>
        </message>
        <message>
            <source>启动后台 Start backend</source>
            <translation>启动后台</translation>
        </message>
        <message>
            <source>记录演示销售 Record a demo sale (¥200.00)</source>
            <translation>记录演示销售 (¥200.00)</translation>
        </message>
    </context>
    <context>
        <name>QtHandoverScreen</name>
        <message>
            <source>交班 / 班结 Shift handover</source>
            <translation>交班 / 班结</translation>
        </message>
        <message>
            <source>1. 待处理 Blockers</source>
            <translation>1. 待处理</translation>
        </message>
        <message>
            <source>2. 泵码与油品 Meters and grades</source>
            <translation>2. 泵码与油品</translation>
        </message>
        <message>
            <source>截点 读泵码 Take the cut</source>
            <translation>截点 读泵码</translation>
        </message>
        <message>
            <source>尚未截点 / No cut taken yet</source>
            <translation>尚未截点</translation>
        </message>
        <message>
            <source>泵码表 Meters</source>
            <translation>泵码表</translation>
        </message>
        <message>
            <source>图表 Charts</source>
            <translation>图表</translation>
        </message>
        <message>
            <source>油品 Grade</source>
            <translation>油品</translation>
        </message>
        <message>
            <source>笔数 Fills</source>
            <translation>笔数</translation>
        </message>
        <message>
            <source>升 Litres</source>
            <translation>升</translation>
        </message>
        <message>
            <source>金额 Amount</source>
            <translation>金额</translation>
        </message>
        <message>
            <source>3. 汇总 Totals</source>
            <translation>3. 汇总</translation>
        </message>
        <message>
            <source>支付方式 Method</source>
            <translation>支付方式</translation>
        </message>
        <message>
            <source>笔数 Sales</source>
            <translation>笔数</translation>
        </message>
        <message>
            <source>收款 Taken</source>
            <translation>收款</translation>
        </message>
        <message>
            <source>退款 Refunded</source>
            <translation>退款</translation>
        </message>
        <message>
            <source>净额 Net</source>
            <translation>净额</translation>
        </message>
        <message>
            <source>核销/作废/退款 Item</source>
            <translation>核销/作废/退款</translation>
        </message>
        <message>
            <source>笔数/方式 Detail</source>
            <translation>笔数/方式</translation>
        </message>
        <message>
            <source>经办 Who: why</source>
            <translation>经办</translation>
        </message>
        <message>
            <source>4. 现金清点 Cash count</source>
            <translation>4. 现金清点</translation>
        </message>
        <message>
            <source>5. 交接签字 Sign-off</source>
            <translation>5. 交接签字</translation>
        </message>
        <message>
            <source>交班人 Outgoing</source>
            <translation>交班人</translation>
        </message>
        <message>
            <source>接班人 Incoming</source>
            <translation>接班人</translation>
        </message>
        <message>
            <source>下一班备用金 Next float (元)</source>
            <translation>下一班备用金 (元)</translation>
        </message>
        <message>
            <source>开班 Open shift</source>
            <translation>开班</translation>
        </message>
        <message>
            <source>X 报表 X report</source>
            <translation>X 报表</translation>
        </message>
        <message>
            <source>班结并打印 Z 报表 Close + Z report</source>
            <translation>班结并打印 Z 报表</translation>
        </message>
        <message>
            <source>历史 History</source>
            <translation>历史</translation>
        </message>
        <message>
            <source>当前没有班次 / No shift is open</source>
            <translation>当前没有班次</translation>
        </message>
        <message>
            <source>第 {0} 班 · {1} 开班 · {2} / Shift {0}</source>
            <translation>第 {0} 班 · {1} 开班 · {2}</translation>
        </message>
        <message>
            <source>请先登录 / Sign in first</source>
            <translation>请先登录</translation>
        </message>
        <message>
            <source>离线截点 (待上传) / offline cut, pending upload</source>
            <translation>离线截点 (待上传)</translation>
        </message>
        <message>
            <source>后台截点 / backend cut</source>
            <translation>后台截点</translation>
        </message>
        <message>
            <source>截点 Cut {0} · {1} · {2} 笔 sales</source>
            <translation>截点 {0} · {1} · {2} 笔</translation>
        </message>
        <message>
            <source>X 报表已打印 / X report printed</source>
            <translation>X 报表已打印</translation>
        </message>
        <message>
            <source>第 {0} 班 · {1} / Shift {0}</source>
            <translation>第 {0} 班 · {1}</translation>
        </message>
        <message>
            <source>已上传 uploaded</source>
            <translation>已上传</translation>
        </message>
        <message>
            <source>待上传 pending upload</source>
            <translation>待上传</translation>
        </message>
        <message>
            <source>第 {0} 班已班结，Z 报表已打印 ({1})；下一班已开，备用金 {2} / Shift closed, Z report printed</source>
            <translation>第 {0} 班已班结，Z 报表已打印 ({1})；下一班已开，备用金 {2}</translation>
        </message>
    </context>
    <context>
        <name>QtInbox</name>
        <message>
            <source>待结算 Inbox ({0})</source>
            <translation>待结算 ({0})</translation>
        </message>
    </context>
    <context>
        <name>QtMemberLookupDialog</name>
        <message>
            <source>会员查询 Member lookup</source>
            <translation>会员查询</translation>
        </message>
        <message>
            <source>手机号 / 手机后四位 / 会员卡号</source>
            <translation>手机号 / 手机后四位 / 会员卡号</translation>
        </message>
        <message>
            <source>查询 Search</source>
            <translation>查询</translation>
        </message>
        <message>
            <source>正在查询… Searching</source>
            <translation>正在查询…</translation>
        </message>
        <message>
            <source>未找到会员 No member found</source>
            <translation>未找到会员</translation>
        </message>
        <message>
            <source>找到 {0} 位会员，请核对后选择 / {0} members match: pick one</source>
            <translation>找到 {0} 位会员，请核对后选择</translation>
        </message>
    </context>
    <context>
        <name>QtMeterTable</name>
        <message>
            <source>差异超出允许范围 / Difference beyond tolerance</source>
            <translation>差异超出允许范围</translation>
        </message>
    </context>
    <context>
        <name>QtNozzleTile</name>
        <message>
            <source>空闲 Idle</source>
            <translation>空闲</translation>
        </message>
        <message>
            <source>提枪待授权 Nozzle up</source>
            <translation>提枪待授权</translation>
        </message>
        <message>
            <source>已授权 Authorized</source>
            <translation>已授权</translation>
        </message>
        <message>
            <source>加油中 Fuelling</source>
            <translation>加油中</translation>
        </message>
        <message>
            <source>暂停 Paused</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>待支付 Payable</source>
            <translation>待支付</translation>
        </message>
        <message>
            <source>已关闭 Closed</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>离线 Offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <source>故障 Fault</source>
            <translation>故障</translation>
        </message>
        <message>
            <source>{0}号 / No. {0}</source>
            <translation>{0}号</translation>
        </message>
        <message>
            <source>{0}号机 / Pump {0}</source>
            <translation>{0}号机</translation>
        </message>
        <message>
            <source>单价 Unit price {0}/L</source>
            <translation>单价 {0}/L</translation>
        </message>
        <message>
            <source>小程序 Order {0}</source>
            <translation>小程序 {0}</translation>
        </message>
        <message>
            <source>{0}号油枪 / Nozzle {0}</source>
            <translation>{0}号油枪</translation>
        </message>
        <message>
            <source>挂单 Unpaid {0}</source>
            <translation>挂单 {0}</translation>
        </message>
        <message>
            <source>数据过时 stale</source>
            <translation>数据过时</translation>
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
            <translation>改绑油枪</translation>
        </message>
        <message>
            <source>正确的油枪号 Right nozzle number</source>
            <translation>正确的油枪号</translation>
        </message>
    </context>
    <context>
        <name>QtOrderRefundDialog</name>
        <message>
            <source>申请退款 Refund request</source>
            <translation>申请退款</translation>
        </message>
        <message>
            <source>退款金额 Amount</source>
            <translation>退款金额</translation>
        </message>
        <message>
            <source>未加满 Under-run</source>
            <translation>未加满</translation>
        </message>
        <message>
            <source>退款原因 Reason (必填 required)</source>
            <translation>退款原因 (必填)</translation>
        </message>
    </context>
    <context>
        <name>QtOutboxDialog</name>
        <message>
            <source>时间 Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>内容 What</source>
            <translation>内容</translation>
        </message>
        <message>
            <source>员工 Staff</source>
            <translation>员工</translation>
        </message>
        <message>
            <source>状态 State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>次数 Attempts</source>
            <translation>次数</translation>
        </message>
        <message>
            <source>原因 Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>待上传 Pending</source>
            <translation>待上传</translation>
        </message>
        <message>
            <source>发送中 Sent</source>
            <translation>发送中</translation>
        </message>
        <message>
            <source>已确认 Acknowledged</source>
            <translation>已确认</translation>
        </message>
        <message>
            <source>被拒 Rejected</source>
            <translation>被拒</translation>
        </message>
        <message>
            <source>未上传记录 Unsent records</source>
            <translation>未上传记录</translation>
        </message>
        <message>
            <source>刷新 Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>{0} 条未上传 unsent · {1} 条被拒 rejected</source>
            <translation>{0} 条未上传 · {1} 条被拒</translation>
        </message>
        <message>
            <source>（被拒记录请店长处理 / a manager must review rejected records）</source>
            <translation>（被拒记录请店长处理 /）</translation>
        </message>
    </context>
    <context>
        <name>QtPairingDialog</name>
        <message>
            <source>配对收银台 Pair this till</source>
            <translation>配对收银台</translation>
        </message>
        <message>
            <source>6 位激活码 six-digit code</source>
            <translation>6 位激活码</translation>
        </message>
        <message>
            <source>请向店长索取一次性激活码 / Ask the station manager for a one-time activation code.</source>
            <translation>请向店长索取一次性激活码</translation>
        </message>
        <message>
            <source>后台地址 Backend</source>
            <translation>后台地址</translation>
        </message>
        <message>
            <source>激活码 Code</source>
            <translation>激活码</translation>
        </message>
        <message>
            <source>收银台名称 Till name</source>
            <translation>收银台名称</translation>
        </message>
        <message>
            <source>配对 Pair</source>
            <translation>配对</translation>
        </message>
        <message>
            <source>后台地址应以 http:// 或 https:// 开头 / The backend URL starts with http(s)://</source>
            <translation>后台地址应以 http:// 或 https:// 开头</translation>
        </message>
        <message>
            <source>激活码为 6 位数字 / The activation code has six digits</source>
            <translation>激活码为 6 位数字</translation>
        </message>
        <message>
            <source>请填写收银台名称 / Name this till</source>
            <translation>请填写收银台名称</translation>
        </message>
    </context>
    <context>
        <name>QtReceiptsDialog</name>
        <message>
            <source>小票 Receipts</source>
            <translation>小票</translation>
        </message>
        <message>
            <source>选择一张小票 Pick a receipt</source>
            <translation>选择一张小票</translation>
        </message>
        <message>
            <source>重打 Reprint</source>
            <translation>重打</translation>
        </message>
        <message>
            <source>关闭 Close (Esc)</source>
            <translation>关闭 (Esc)</translation>
        </message>
        <message>
            <source>还没有打印过小票 Nothing printed yet</source>
            <translation>还没有打印过小票</translation>
        </message>
        <message>
            <source>已重打 Reprint queued: </source>
            <translation>已重打 </translation>
        </message>
    </context>
    <context>
        <name>QtRefundDialog</name>
        <message>
            <source>退款 Refund</source>
            <translation>退款</translation>
        </message>
        <message>
            <source>退款金额 Amount</source>
            <translation>退款金额</translation>
        </message>
        <message>
            <source>退款原因 Reason (必填 required)</source>
            <translation>退款原因 (必填)</translation>
        </message>
        <message>
            <source>本机销售 Sales at this till</source>
            <translation>本机销售</translation>
        </message>
        <message>
            <source>已退款 Refunded {0}: {1}</source>
            <translation>已退款 {0}: {1}</translation>
        </message>
    </context>
    <context>
        <name>QtShiftCharts</name>
        <message>
            <source>每小时销售 Sales by hour</source>
            <translation>每小时销售</translation>
        </message>
        <message>
            <source>金额 Amount</source>
            <translation>金额</translation>
        </message>
        <message>
            <source>油品销售 By grade</source>
            <translation>油品销售</translation>
        </message>
        <message>
            <source>升 Litres</source>
            <translation>升</translation>
        </message>
        <message>
            <source>计量与销售 Metered vs sold</source>
            <translation>计量与销售</translation>
        </message>
        <message>
            <source>计量 Metered</source>
            <translation>计量</translation>
        </message>
        <message>
            <source>销售 Sold</source>
            <translation>销售</translation>
        </message>
    </context>
    <context>
        <name>QtShiftHistory</name>
        <message>
            <source>班次历史 Shift history</source>
            <translation>班次历史</translation>
        </message>
        <message>
            <source>班次 No.</source>
            <translation>班次</translation>
        </message>
        <message>
            <source>开班 Opened</source>
            <translation>开班</translation>
        </message>
        <message>
            <source>截点 Cut</source>
            <translation>截点</translation>
        </message>
        <message>
            <source>状态 State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>实点 Counted</source>
            <translation>实点</translation>
        </message>
        <message>
            <source>差异 Variance</source>
            <translation>差异</translation>
        </message>
        <message>
            <source>上传 Upload</source>
            <translation>上传</translation>
        </message>
        <message>
            <source>待上传 pending</source>
            <translation>待上传</translation>
        </message>
        <message>
            <source>本机未打印此班报表 / No report printed here</source>
            <translation>本机未打印此班报表</translation>
        </message>
    </context>
    <context>
        <name>QtSignInScreen</name>
        <message>
            <source>登录 Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <source>{0} · 请登录 Sign in</source>
            <translation>{0} · 请登录</translation>
        </message>
        <message>
            <source>工号 Staff number</source>
            <translation>工号</translation>
        </message>
        <message>
            <source>密码 PIN</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>正在验证… Checking</source>
            <translation>正在验证…</translation>
        </message>
    </context>
    <context>
        <name>QtSignOff</name>
        <message>
            <source>工号 Staff no.</source>
            <translation>工号</translation>
        </message>
        <message>
            <source>密码 PIN</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>确认 Confirm</source>
            <translation>确认</translation>
        </message>
        <message>
            <source>未确认 Not signed</source>
            <translation>未确认</translation>
        </message>
    </context>
    <context>
        <name>QtTenderDialog</name>
        <message>
            <source>收款 Tender</source>
            <translation>收款</translation>
        </message>
        <message>
            <source>{0}号油枪 {1}  {2}</source>
            <translation>{0}号油枪 {1}  {2}</translation>
        </message>
        <message>
            <source>未关联会员 (F3 会员) No member</source>
            <translation>未关联会员 (F3 会员)</translation>
        </message>
        <message>
            <source>收款金额 Amount given</source>
            <translation>收款金额</translation>
        </message>
        <message>
            <source>分单 Split part (Ctrl+P)</source>
            <translation>分单 (Ctrl+P)</translation>
        </message>
        <message>
            <source>确认收款 Confirm (Enter)</source>
            <translation>确认收款 (Enter)</translation>
        </message>
        <message>
            <source>返回 Back (Esc)</source>
            <translation>返回 (Esc)</translation>
        </message>
        <message>
            <source>优惠券 Coupon (Ctrl+Q)</source>
            <translation>优惠券 (Ctrl+Q)</translation>
        </message>
        <message>
            <source>收款 Given</source>
            <translation>收款</translation>
        </message>
        <message>
            <source>会员 {0} {1} · 钱包 {2}</source>
            <translation>会员 {0} {1} · 钱包 {2}</translation>
        </message>
        <message>
            <source>不用券 No coupon</source>
            <translation>不用券</translation>
        </message>
        <message>
            <source>小计 Subtotal  {0}</source>
            <translation>小计 {0}</translation>
        </message>
        <message>
            <source>应收 {0}</source>
            <translation>应收 {0}</translation>
        </message>
        <message>
            <source>已收 Taken: {0}</source>
            <translation>已收 {0}</translation>
        </message>
        <message>
            <source>找零 Change {0}</source>
            <translation>找零 {0}</translation>
        </message>
        <message>
            <source>已收款 Paid · 找零 Change {0}</source>
            <translation>已收款 · 找零 {0}</translation>
        </message>
    </context>
    <context>
        <name>QtWriteOffScreen</name>
        <message>
            <source>核销 Write-off</source>
            <translation>核销</translation>
        </message>
        <message>
            <source>6位核销码</source>
            <translation>6位核销码</translation>
        </message>
        <message>
            <source>查询 Look up</source>
            <translation>查询</translation>
        </message>
        <message>
            <source>扫码 Camera</source>
            <translation>扫码</translation>
        </message>
        <message>
            <source>面值（元）Value in yuan</source>
            <translation>面值（元）</translation>
        </message>
        <message>
            <source>确认核销 Confirm (Enter)</source>
            <translation>确认核销 (Enter)</translation>
        </message>
        <message>
            <source>取消 Cancel (Esc)</source>
            <translation>取消 (Esc)</translation>
        </message>
        <message>
            <source>正在查询… Looking up</source>
            <translation>正在查询…</translation>
        </message>
        <message>
            <source>正在核销… Redeeming</source>
            <translation>正在核销…</translation>
        </message>
        <message>
            <source>离线核销：后台无法连接，限额 {0} / Offline, up to {0}</source>
            <translation>离线核销：后台无法连接，限额 {0}</translation>
        </message>
        <message>
            <source>请核对后按 Enter 确认 / Check, then Enter to confirm</source>
            <translation>请核对后按 Enter 确认</translation>
        </message>
        <message>
            <source>核销成功 Redeemed：{0} {1}</source>
            <translation>核销成功：{0} {1}</translation>
        </message>
    </context>
    <context>
        <name>QtWriteOffToday</name>
        <message>
            <source>今日核销 Today's write-offs</source>
            <translation>今日核销</translation>
        </message>
    </context>
    <context>
        <name>window</name>
        <message>
            <source>班结 Shift</source>
            <translation>班结</translation>
        </message>
        <message>
            <source>交班 Handover</source>
            <translation>交班</translation>
        </message>
        <message>
            <source>收银 Counter</source>
            <translation>收银</translation>
        </message>
        <message>
            <source>待结算 Inbox</source>
            <translation>待结算</translation>
        </message>
        <message>
            <source>收款 Tender</source>
            <translation>收款</translation>
        </message>
        <message>
            <source>作废 Void</source>
            <translation>作废</translation>
        </message>
        <message>
            <source>退款 Refund</source>
            <translation>退款</translation>
        </message>
        <message>
            <source>锁屏 Lock</source>
            <translation>锁屏</translation>
        </message>
        <message>
            <source>核销 Write-off</source>
            <translation>核销</translation>
        </message>
    </context>
    <context>
        <name>pos.any</name>
        <message>
            <source>1. 待处理 Blockers</source>
            <translation>1. 待处理</translation>
        </message>
        <message>
            <source>2. 泵码与油品 Meters and grades</source>
            <translation>2. 泵码与油品</translation>
        </message>
        <message>
            <source>3. 汇总 Totals</source>
            <translation>3. 汇总</translation>
        </message>
        <message>
            <source>4. 现金清点 Cash count</source>
            <translation>4. 现金清点</translation>
        </message>
        <message>
            <source>5. 交接签字 Sign-off</source>
            <translation>5. 交接签字</translation>
        </message>
        <message>
            <source>6 位激活码 six-digit code</source>
            <translation>6 位激活码</translation>
        </message>
        <message>
            <source>6位核销码</source>
            <translation>6位核销码</translation>
        </message>
        <message>
            <source>X 报表 X report</source>
            <translation>X 报表</translation>
        </message>
        <message>
            <source>X 报表已打印 / X report printed</source>
            <translation>X 报表已打印</translation>
        </message>
        <message>
            <source>{0} · {1}号油枪 · 预付 {2}</source>
            <translation>{0} · {1}号油枪 · 预付 {2}</translation>
        </message>
        <message>
            <source>{0} · 请登录 Sign in</source>
            <translation>{0} · 请登录</translation>
        </message>
        <message>
            <source>{0} 条未上传 unsent</source>
            <translation>{0} 条未上传</translation>
        </message>
        <message>
            <source>{0} 条未上传 unsent · {1} 条被拒 rejected</source>
            <translation>{0} 条未上传 · {1} 条被拒</translation>
        </message>
        <message>
            <source>{0} 条被拒 rejected</source>
            <translation>{0} 条被拒</translation>
        </message>
        <message>
            <source>{0}号 / No. {0}</source>
            <translation>{0}号</translation>
        </message>
        <message>
            <source>{0}号机 / Pump {0}</source>
            <translation>{0}号机</translation>
        </message>
        <message>
            <source>{0}号油枪 / Nozzle {0}</source>
            <translation>{0}号油枪</translation>
        </message>
        <message>
            <source>{0}号油枪 {1}  {2}</source>
            <translation>{0}号油枪 {1}  {2}</translation>
        </message>
        <message>
            <source>{0}号油枪 {1} / Nozzle {0} · {1}</source>
            <translation>{0}号油枪 {1}</translation>
        </message>
        <message>
            <source>{0}号油枪 小程序订单 / Nozzle {0} · App order</source>
            <translation>{0}号油枪 小程序订单</translation>
        </message>
        <message>
            <source>✓ 没有待处理事项 / Nothing blocks the handover</source>
            <translation>✓ 没有待处理事项</translation>
        </message>
        <message>
            <source>上传 Upload</source>
            <translation>上传</translation>
        </message>
        <message>
            <source>下一班备用金 Next float (元)</source>
            <translation>下一班备用金 (元)</translation>
        </message>
        <message>
            <source>不用券 No coupon</source>
            <translation>不用券</translation>
        </message>
        <message>
            <source>交班 / 班结 Shift handover</source>
            <translation>交班 / 班结</translation>
        </message>
        <message>
            <source>交班 Handover</source>
            <translation>交班</translation>
        </message>
        <message>
            <source>交班人 Outgoing</source>
            <translation>交班人</translation>
        </message>
        <message>
            <source>今日核销 Today's write-offs</source>
            <translation>今日核销</translation>
        </message>
        <message>
            <source>优惠券 Coupon (Ctrl+Q)</source>
            <translation>优惠券 (Ctrl+Q)</translation>
        </message>
        <message>
            <source>会员 Members</source>
            <translation>会员</translation>
        </message>
        <message>
            <source>会员 {0} {1} · 钱包 {2}</source>
            <translation>会员 {0} {1} · 钱包 {2}</translation>
        </message>
        <message>
            <source>会员查询 Member lookup</source>
            <translation>会员查询</translation>
        </message>
        <message>
            <source>作废 Void</source>
            <translation>作废</translation>
        </message>
        <message>
            <source>作废原因 Reason</source>
            <translation>作废原因</translation>
        </message>
        <message>
            <source>停止后台 Stop backend</source>
            <translation>停止后台</translation>
        </message>
        <message>
            <source>关闭 Close (Esc)</source>
            <translation>关闭 (Esc)</translation>
        </message>
        <message>
            <source>内容 What</source>
            <translation>内容</translation>
        </message>
        <message>
            <source>净额 Net</source>
            <translation>净额</translation>
        </message>
        <message>
            <source>分单 Split part (Ctrl+P)</source>
            <translation>分单 (Ctrl+P)</translation>
        </message>
        <message>
            <source>刷新 Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>加油中 Fuelling</source>
            <translation>加油中</translation>
        </message>
        <message>
            <source>加油员 Attendant</source>
            <translation>加油员</translation>
        </message>
        <message>
            <source>加油站收银台 - {0} - {1} / Station till - {0} - {1}</source>
            <translation>加油站收银台 - {0} - {1}</translation>
        </message>
        <message>
            <source>升 Litres</source>
            <translation>升</translation>
        </message>
        <message>
            <source>单价 Unit price {0}/L</source>
            <translation>单价 {0}/L</translation>
        </message>
        <message>
            <source>历史 History</source>
            <translation>历史</translation>
        </message>
        <message>
            <source>原因 Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>去处理 Go</source>
            <translation>去处理</translation>
        </message>
        <message>
            <source>发送中 Sent</source>
            <translation>发送中</translation>
        </message>
        <message>
            <source>取消 Cancel (Esc)</source>
            <translation>取消 (Esc)</translation>
        </message>
        <message>
            <source>只有油枪不符的订单可改绑 / Only a wrong-nozzle order can be rebound</source>
            <translation>只有油枪不符的订单可改绑</translation>
        </message>
        <message>
            <source>后台地址 Backend</source>
            <translation>后台地址</translation>
        </message>
        <message>
            <source>后台地址应以 http:// 或 https:// 开头 / The backend URL starts with http(s)://</source>
            <translation>后台地址应以 http:// 或 https:// 开头</translation>
        </message>
        <message>
            <source>后台截点 / backend cut</source>
            <translation>后台截点</translation>
        </message>
        <message>
            <source>启动后台 Start backend</source>
            <translation>启动后台</translation>
        </message>
        <message>
            <source>启动未完成，请重启或联系技术支持 / Start-up did not complete: restart or call support</source>
            <translation>启动未完成，请重启或联系技术支持</translation>
        </message>
        <message>
            <source>员工 Staff</source>
            <translation>员工</translation>
        </message>
        <message>
            <source>图表 Charts</source>
            <translation>图表</translation>
        </message>
        <message>
            <source>实点 Counted</source>
            <translation>实点</translation>
        </message>
        <message>
            <source>实点 Counted {0}</source>
            <translation>实点 {0}</translation>
        </message>
        <message>
            <source>密码 PIN</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>小票 Receipts</source>
            <translation>小票</translation>
        </message>
        <message>
            <source>小票与重打 Receipts and reprint</source>
            <translation>小票与重打</translation>
        </message>
        <message>
            <source>小程序 Order {0}</source>
            <translation>小程序 {0}</translation>
        </message>
        <message>
            <source>小程序订单 App orders ({0})</source>
            <translation>小程序订单 ({0})</translation>
        </message>
        <message>
            <source>小计 Subtotal  {0}</source>
            <translation>小计 {0}</translation>
        </message>
        <message>
            <source>尚未截点 / No cut taken yet</source>
            <translation>尚未截点</translation>
        </message>
        <message>
            <source>工号 Staff no.</source>
            <translation>工号</translation>
        </message>
        <message>
            <source>工号 Staff number</source>
            <translation>工号</translation>
        </message>
        <message>
            <source>差异 Variance</source>
            <translation>差异</translation>
        </message>
        <message>
            <source>差异 Variance {0}</source>
            <translation>差异 {0}</translation>
        </message>
        <message>
            <source>差异说明 (店长) / Manager's reason for the variance</source>
            <translation>差异说明 (店长)</translation>
        </message>
        <message>
            <source>差异超出允许范围 / Difference beyond tolerance</source>
            <translation>差异超出允许范围</translation>
        </message>
        <message>
            <source>已上传 uploaded</source>
            <translation>已上传</translation>
        </message>
        <message>
            <source>已作废 Voided</source>
            <translation>已作废</translation>
        </message>
        <message>
            <source>已关联会员 {0} / Member attached</source>
            <translation>已关联会员 {0}</translation>
        </message>
        <message>
            <source>已关闭 Closed</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>已取消 Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>已完成 Completed</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>已授权 Authorized</source>
            <translation>已授权</translation>
        </message>
        <message>
            <source>已支付 Paid</source>
            <translation>已支付</translation>
        </message>
        <message>
            <source>已收 Taken: {0}</source>
            <translation>已收 {0}</translation>
        </message>
        <message>
            <source>已收款 Paid · 找零 Change {0}</source>
            <translation>已收款 · 找零 {0}</translation>
        </message>
        <message>
            <source>已收款，找零 {0} / Paid, change {0}</source>
            <translation>已收款，找零 {0}</translation>
        </message>
        <message>
            <source>已申请退款 {0} / Refund requested {1}</source>
            <translation>已申请退款 {0}</translation>
        </message>
        <message>
            <source>已确认 Acknowledged</source>
            <translation>已确认</translation>
        </message>
        <message>
            <source>已连接 Online</source>
            <translation>已连接</translation>
        </message>
        <message>
            <source>已退款 Refunded {0}: {1}</source>
            <translation>已退款 {0}: {1}</translation>
        </message>
        <message>
            <source>已重打 Reprint queued: </source>
            <translation>已重打 </translation>
        </message>
        <message>
            <source>已预约 Reserved</source>
            <translation>已预约</translation>
        </message>
        <message>
            <source>应收 {0}</source>
            <translation>应收 {0}</translation>
        </message>
        <message>
            <source>应有 Expected {0}</source>
            <translation>应有 {0}</translation>
        </message>
        <message>
            <source>应有 Expected —</source>
            <translation>应有 —</translation>
        </message>
        <message>
            <source>店长 Manager</source>
            <translation>店长</translation>
        </message>
        <message>
            <source>开班 Open shift</source>
            <translation>开班</translation>
        </message>
        <message>
            <source>开班 Opened</source>
            <translation>开班</translation>
        </message>
        <message>
            <source>当前没有班次 / No shift is open</source>
            <translation>当前没有班次</translation>
        </message>
        <message>
            <source>待上传 Pending</source>
            <translation>待上传</translation>
        </message>
        <message>
            <source>待上传 pending</source>
            <translation>待上传</translation>
        </message>
        <message>
            <source>待上传 pending upload</source>
            <translation>待上传</translation>
        </message>
        <message>
            <source>待支付 Payable</source>
            <translation>待支付</translation>
        </message>
        <message>
            <source>待结算 Inbox</source>
            <translation>待结算</translation>
        </message>
        <message>
            <source>待结算 Inbox ({0})</source>
            <translation>待结算 ({0})</translation>
        </message>
        <message>
            <source>待自提 Awaiting pickup</source>
            <translation>待自提</translation>
        </message>
        <message>
            <source>截点 Cut</source>
            <translation>截点</translation>
        </message>
        <message>
            <source>截点 Cut {0} · {1} · {2} 笔 sales</source>
            <translation>截点 {0} · {1} · {2} 笔</translation>
        </message>
        <message>
            <source>截点 读泵码 Take the cut</source>
            <translation>截点 读泵码</translation>
        </message>
        <message>
            <source>手机号 / 手机后四位 / 会员卡号</source>
            <translation>手机号 / 手机后四位 / 会员卡号</translation>
        </message>
        <message>
            <source>扫码 Camera</source>
            <translation>扫码</translation>
        </message>
        <message>
            <source>扫码 Scan with the camera</source>
            <translation>扫码</translation>
        </message>
        <message>
            <source>找到 {0} 位会员，请核对后选择 / {0} members match: pick one</source>
            <translation>找到 {0} 位会员，请核对后选择</translation>
        </message>
        <message>
            <source>找零 Change {0}</source>
            <translation>找零 {0}</translation>
        </message>
        <message>
            <source>技术支持 Support</source>
            <translation>技术支持</translation>
        </message>
        <message>
            <source>挂单 Unpaid {0}</source>
            <translation>挂单 {0}</translation>
        </message>
        <message>
            <source>接班人 Incoming</source>
            <translation>接班人</translation>
        </message>
        <message>
            <source>提枪待授权 Nozzle up</source>
            <translation>提枪待授权</translation>
        </message>
        <message>
            <source>支付方式 Method</source>
            <translation>支付方式</translation>
        </message>
        <message>
            <source>收款 Given</source>
            <translation>收款</translation>
        </message>
        <message>
            <source>收款 Taken</source>
            <translation>收款</translation>
        </message>
        <message>
            <source>收款 Tender</source>
            <translation>收款</translation>
        </message>
        <message>
            <source>收款金额 Amount given</source>
            <translation>收款金额</translation>
        </message>
        <message>
            <source>收银 Counter</source>
            <translation>收银</translation>
        </message>
        <message>
            <source>收银台名称 Till name</source>
            <translation>收银台名称</translation>
        </message>
        <message>
            <source>收银员 Cashier</source>
            <translation>收银员</translation>
        </message>
        <message>
            <source>改绑油枪 Rebind nozzle</source>
            <translation>改绑油枪</translation>
        </message>
        <message>
            <source>故障 Fault</source>
            <translation>故障</translation>
        </message>
        <message>
            <source>数据过时 stale</source>
            <translation>数据过时</translation>
        </message>
        <message>
            <source>时间 Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>暂停 Paused</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>未上传记录 Unsent records</source>
            <translation>未上传记录</translation>
        </message>
        <message>
            <source>未关联会员 (F3 会员) No member</source>
            <translation>未关联会员 (F3 会员)</translation>
        </message>
        <message>
            <source>未加满 Under-run</source>
            <translation>未加满</translation>
        </message>
        <message>
            <source>未加满 需退款 Under-run</source>
            <translation>未加满 需退款</translation>
        </message>
        <message>
            <source>未找到会员 No member found</source>
            <translation>未找到会员</translation>
        </message>
        <message>
            <source>未登录 Not signed in</source>
            <translation>未登录</translation>
        </message>
        <message>
            <source>未确认 Not signed</source>
            <translation>未确认</translation>
        </message>
        <message>
            <source>未连接站点 No station</source>
            <translation>未连接站点</translation>
        </message>
        <message>
            <source>本机未打印此班报表 / No report printed here</source>
            <translation>本机未打印此班报表</translation>
        </message>
        <message>
            <source>本机结算中 Settling here</source>
            <translation>本机结算中</translation>
        </message>
        <message>
            <source>本机销售 Sales at this till</source>
            <translation>本机销售</translation>
        </message>
        <message>
            <source>查询 Look up</source>
            <translation>查询</translation>
        </message>
        <message>
            <source>查询 Search</source>
            <translation>查询</translation>
        </message>
        <message>
            <source>核销 Write-off</source>
            <translation>核销</translation>
        </message>
        <message>
            <source>核销/作废/退款 Item</source>
            <translation>核销/作废/退款</translation>
        </message>
        <message>
            <source>核销成功 Redeemed：{0} {1}</source>
            <translation>核销成功：{0} {1}</translation>
        </message>
        <message>
            <source>次数 Attempts</source>
            <translation>次数</translation>
        </message>
        <message>
            <source>正在查询… Looking up</source>
            <translation>正在查询…</translation>
        </message>
        <message>
            <source>正在查询… Searching</source>
            <translation>正在查询…</translation>
        </message>
        <message>
            <source>正在核销… Redeeming</source>
            <translation>正在核销…</translation>
        </message>
        <message>
            <source>正在连接 Connecting</source>
            <translation>正在连接</translation>
        </message>
        <message>
            <source>正在锁定… Locking</source>
            <translation>正在锁定…</translation>
        </message>
        <message>
            <source>正在验证… Checking</source>
            <translation>正在验证…</translation>
        </message>
        <message>
            <source>正确的油枪号 Right nozzle number</source>
            <translation>正确的油枪号</translation>
        </message>
        <message>
            <source>每小时销售 Sales by hour</source>
            <translation>每小时销售</translation>
        </message>
        <message>
            <source>没有待支付的挂单 / Nothing payable to settle</source>
            <translation>没有待支付的挂单</translation>
        </message>
        <message>
            <source>油品 Grade</source>
            <translation>油品</translation>
        </message>
        <message>
            <source>油品销售 By grade</source>
            <translation>油品销售</translation>
        </message>
        <message>
            <source>油枪不符 Wrong nozzle</source>
            <translation>油枪不符</translation>
        </message>
        <message>
            <source>油枪状态 Nozzle status</source>
            <translation>油枪状态</translation>
        </message>
        <message>
            <source>泵码表 Meters</source>
            <translation>泵码表</translation>
        </message>
        <message>
            <source>演示 Demo</source>
            <translation>演示</translation>
        </message>
        <message>
            <source>激活码 Code</source>
            <translation>激活码</translation>
        </message>
        <message>
            <source>激活码为 6 位数字 / The activation code has six digits</source>
            <translation>激活码为 6 位数字</translation>
        </message>
        <message>
            <source>点击查看未上传记录 / Click for unsent records</source>
            <translation>点击查看未上传记录</translation>
        </message>
        <message>
            <source>状态 State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>班次 No.</source>
            <translation>班次</translation>
        </message>
        <message>
            <source>班次历史 Shift history</source>
            <translation>班次历史</translation>
        </message>
        <message>
            <source>班结 Shift</source>
            <translation>班结</translation>
        </message>
        <message>
            <source>班结并打印 Z 报表 Close + Z report</source>
            <translation>班结并打印 Z 报表</translation>
        </message>
        <message>
            <source>申请退款 Refund request</source>
            <translation>申请退款</translation>
        </message>
        <message>
            <source>登录 Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <source>确认 Confirm</source>
            <translation>确认</translation>
        </message>
        <message>
            <source>确认收款 Confirm (Enter)</source>
            <translation>确认收款 (Enter)</translation>
        </message>
        <message>
            <source>确认核销 Confirm (Enter)</source>
            <translation>确认核销 (Enter)</translation>
        </message>
        <message>
            <source>离线 Offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <source>离线 Offline since {0}</source>
            <translation>离线 {0}</translation>
        </message>
        <message>
            <source>离线截点 (待上传) / offline cut, pending upload</source>
            <translation>离线截点 (待上传)</translation>
        </message>
        <message>
            <source>离线核销：后台无法连接，限额 {0} / Offline, up to {0}</source>
            <translation>离线核销：后台无法连接，限额 {0}</translation>
        </message>
        <message>
            <source>空闲 Idle</source>
            <translation>空闲</translation>
        </message>
        <message>
            <source>笔数 Fills</source>
            <translation>笔数</translation>
        </message>
        <message>
            <source>笔数 Sales</source>
            <translation>笔数</translation>
        </message>
        <message>
            <source>笔数/方式 Detail</source>
            <translation>笔数/方式</translation>
        </message>
        <message>
            <source>第 {0} 班 · {1} / Shift {0}</source>
            <translation>第 {0} 班 · {1}</translation>
        </message>
        <message>
            <source>第 {0} 班 · {1} 开班 · {2} / Shift {0}</source>
            <translation>第 {0} 班 · {1} 开班 · {2}</translation>
        </message>
        <message>
            <source>第 {0} 班已班结，Z 报表已打印 ({1})；下一班已开，备用金 {2} / Shift closed, Z report printed</source>
            <translation>第 {0} 班已班结，Z 报表已打印 ({1})；下一班已开，备用金 {2}</translation>
        </message>
        <message>
            <source>等待扫码 Waiting for a code</source>
            <translation>等待扫码</translation>
        </message>
        <message>
            <source>经办 Who: why</source>
            <translation>经办</translation>
        </message>
        <message>
            <source>自提 {0} / Pickup {0}</source>
            <translation>自提 {0}</translation>
        </message>
        <message>
            <source>自提订单请用核销 (F4) / Redeem pickups with the write-off screen</source>
            <translation>自提订单请用核销 (F4)</translation>
        </message>
        <message>
            <source>被拒 Rejected</source>
            <translation>被拒</translation>
        </message>
        <message>
            <source>计量 Metered</source>
            <translation>计量</translation>
        </message>
        <message>
            <source>计量与销售 Metered vs sold</source>
            <translation>计量与销售</translation>
        </message>
        <message>
            <source>订单 {0} 已改绑到 {1}号油枪 / Order {0} moved to nozzle {1}</source>
            <translation>订单 {0} 已改绑到 {1}号油枪</translation>
        </message>
        <message>
            <source>订单已完成 {0} / Order completed</source>
            <translation>订单已完成 {0}</translation>
        </message>
        <message>
            <source>记录演示销售 Record a demo sale (¥200.00)</source>
            <translation>记录演示销售 (¥200.00)</translation>
        </message>
        <message>
            <source>请先登录 / Sign in first</source>
            <translation>请先登录</translation>
        </message>
        <message>
            <source>请向店长索取一次性激活码 / Ask the station manager for a one-time activation code.</source>
            <translation>请向店长索取一次性激活码</translation>
        </message>
        <message>
            <source>请填写收银台名称 / Name this till</source>
            <translation>请填写收银台名称</translation>
        </message>
        <message>
            <source>请核对后按 Enter 确认 / Check, then Enter to confirm</source>
            <translation>请核对后按 Enter 确认</translation>
        </message>
        <message>
            <source>超时 Timed out</source>
            <translation>超时</translation>
        </message>
        <message>
            <source>返回 Back (Esc)</source>
            <translation>返回 (Esc)</translation>
        </message>
        <message>
            <source>还没有打印过小票 Nothing printed yet</source>
            <translation>还没有打印过小票</translation>
        </message>
        <message>
            <source>连接不稳定 Degraded</source>
            <translation>连接不稳定</translation>
        </message>
        <message>
            <source>连接不稳定 Degraded since {0}</source>
            <translation>连接不稳定 {0}</translation>
        </message>
        <message>
            <source>退款 Refund</source>
            <translation>退款</translation>
        </message>
        <message>
            <source>退款 Refunded</source>
            <translation>退款</translation>
        </message>
        <message>
            <source>退款原因 Reason (必填 required)</source>
            <translation>退款原因 (必填)</translation>
        </message>
        <message>
            <source>退款申请 Refund requested</source>
            <translation>退款申请</translation>
        </message>
        <message>
            <source>退款金额 Amount</source>
            <translation>退款金额</translation>
        </message>
        <message>
            <source>选择一张小票 Pick a receipt</source>
            <translation>选择一张小票</translation>
        </message>
        <message>
            <source>配对 Pair</source>
            <translation>配对</translation>
        </message>
        <message>
            <source>配对收银台 Pair this till</source>
            <translation>配对收银台</translation>
        </message>
        <message>
            <source>重打 Reprint</source>
            <translation>重打</translation>
        </message>
        <message>
            <source>金额 Amount</source>
            <translation>金额</translation>
        </message>
        <message>
            <source>销售 Sold</source>
            <translation>销售</translation>
        </message>
        <message>
            <source>锁定: {0} {1} / Held by {0} {1}</source>
            <translation>锁定: {0} {1}</translation>
        </message>
        <message>
            <source>锁定: {0} {1} / Locked: {0} {1}</source>
            <translation>锁定: {0} {1}</translation>
        </message>
        <message>
            <source>锁屏 Lock</source>
            <translation>锁屏</translation>
        </message>
        <message>
            <source>面值（元）Value in yuan</source>
            <translation>面值（元）</translation>
        </message>
        <message>
            <source>（被拒记录请店长处理 / a manager must review rejected records）</source>
            <translation>（被拒记录请店长处理 /）</translation>
        </message>
    </context>
</TS>
