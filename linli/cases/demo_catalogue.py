"""What the demo office deals with: its case categories (with their fields, limits and canned
replies), where each goes, and the words people use when they report.

Plain data, no database: ``linli/cases/demo.py`` turns it into rows and a year of cases. The
volumes are a year's cases for the first home (30,000 residents, 2,600 enterprises); other
homes scale them by population. Names are in Chinese, the office's language, with English
names next to them for the English pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from linli.cases.models import Category, CategoryField, Channel, Stage, TimeLimit

K = Category.Kind
T = CategoryField.Type
H = TimeLimit.Unit.WORKING_HOURS
D = TimeLimit.Unit.WORKING_DAYS
C = Channel


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: str = T.TEXT
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help_text: str = ""


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    kind: str
    parent: str = ""
    description: str = ""
    anonymous: bool = False
    public: bool = False
    fields: tuple[FieldSpec, ...] = ()
    limits: dict[str, tuple[int, str]] = field(default_factory=dict)
    replies: tuple[str, ...] = ()
    duplicate: tuple[int, int] | None = None  # radius m, days
    yearly: int = 0  # cases a year in the first home
    where: str = "quarter"  # quarter, street, building, enterprise
    channels: dict[str, float] = field(default_factory=dict)
    texts: tuple[str, ...] = ()
    co_handler: tuple[str, str] = ("", "")  # organisation code, its part


INCIDENT_CHANNELS: dict[str, float] = {
    C.HOTLINE_12345: 40,
    C.GRID_PATROL: 30,
    C.WEB: 14,
    C.PHONE: 7,
    C.BUILDING_MANAGER: 3,
    C.OPEN311: 4,
    C.API: 2,
}
SERVICE_CHANNELS: dict[str, float] = {C.HOTLINE_12345: 35, C.WALK_IN: 30, C.WEB: 20, C.PHONE: 15}
APPEAL_CHANNELS: dict[str, float] = {
    C.WALK_IN: 25,
    C.BUTLER_VISIT: 25,
    C.WEB: 20,
    C.HOTLINE_12345: 15,
    C.BUILDING_MANAGER: 10,
    C.PHONE: 5,
}
ENQUIRY_CHANNELS: dict[str, float] = {C.HOTLINE_12345: 50, C.PHONE: 20, C.WALK_IN: 20, C.WEB: 10}

PARENTS = (
    CategorySpec("INC", "城市运行事件", "Incidents", K.INCIDENT),
    CategorySpec("SVC", "居民服务", "Resident services", K.RESIDENT_SERVICE),
    CategorySpec("APP", "企业诉求", "Enterprise appeals", K.ENTERPRISE_APPEAL),
    CategorySpec("ENQ", "咨询", "Enquiries", K.ENQUIRY),
)

CATEGORIES = (
    CategorySpec(
        "INC-EBIKE",
        "电动自行车违规充电",
        "E-bike batteries charged indoors or on private wires",
        K.INCIDENT,
        "INC",
        "楼道、室内停放充电或私拉电线（飞线）给电动自行车充电，存在火灾隐患。",
        anonymous=True,
        public=True,
        fields=(
            FieldSpec(
                "where",
                "充电位置",
                T.CHOICE,
                True,
                (
                    ("stairwell", "楼道"),
                    ("flat", "室内"),
                    ("flying_wire", "飞线充电"),
                    ("garage", "地下车库"),
                ),
            ),
            FieldSpec("floor", "楼层", T.NUMBER),
            FieldSpec("photo", "现场照片", T.PHOTO),
        ),
        limits={Stage.ACCEPT: (1, H), Stage.RESOLVE: (2, D)},
        replies=(
            "已会同物业清理楼道内电动自行车并拆除私拉电线，告知居民到小区集中充电点充电。",
            "已向当事居民发放《电动自行车安全充电告知书》，居民已签订承诺书。",
            "经现场核查未发现违规充电，已请物业加强夜间巡查。",
        ),
        duplicate=(50, 3),
        yearly=420,
        channels=INCIDENT_CHANNELS,
        texts=(
            "{place}{bno}号楼{unit}单元楼道内停放电动自行车充电，电线从{floor}楼窗口拉下。",
            "{place}{bno}号楼有居民把电瓶带回家中充电，存在火灾隐患。",
            "{place}{bno}号楼底层车棚旁私拉电线给电动车充电，晚上一直插着。",
            "{place}{bno}号楼{unit}单元一楼过道停满电动车，还在充电，堵住了消防通道。",
        ),
        co_handler=("XFZ", "消防安全检查，指导整改"),
    ),
    CategorySpec(
        "INC-FOOD",
        "食品安全",
        "Food safety",
        K.INCIDENT,
        "INC",
        "过期食品、无证经营、后厨卫生、疑似食物中毒等。",
        fields=(
            FieldSpec("shop", "店铺名称", T.TEXT, True),
            FieldSpec("bought_on", "购买或就餐日期", T.DATE),
            FieldSpec(
                "problem",
                "问题类型",
                T.CHOICE,
                True,
                (
                    ("expired", "过期食品"),
                    ("hygiene", "卫生状况差"),
                    ("unlicensed", "无证经营"),
                    ("poisoning", "疑似食物中毒"),
                ),
            ),
        ),
        limits={Stage.RESOLVE: (3, D)},
        replies=(
            "市场监管所已到店检查，责令整改并下发监督意见书，将于一周后复查。",
            "经检查该店证照齐全，已要求其规范食品储存并做好台账。",
        ),
        yearly=130,
        where="street",
        channels={C.HOTLINE_12345: 60, C.WEB: 20, C.PHONE: 15, C.OPEN311: 5},
        texts=(
            "{street}一家{shop}出售过期食品，购买日期{date}。",
            "在{street}{shop}就餐后全家身体不适，怀疑食品卫生有问题。",
            "{street}{shop}后厨卫生条件差，操作间有老鼠。",
            "{street}有人在路边无证售卖熟食。",
        ),
        co_handler=("", ""),
    ),
    CategorySpec(
        "INC-RENT",
        "群租",
        "Illegal group rentals",
        K.INCIDENT,
        "INC",
        "一套住房隔成多间出租、人均面积过小、床位出租等群租现象。",
        anonymous=True,
        fields=(
            FieldSpec("unit", "门牌号", T.TEXT, True),
            FieldSpec("occupants", "估计居住人数", T.NUMBER),
            FieldSpec(
                "partitioned", "是否隔断", T.CHOICE, False, (("yes", "有隔断"), ("no", "无隔断"))
            ),
        ),
        limits={Stage.RESOLVE: (10, D)},
        replies=(
            "已会同房管办、派出所上门核查，责令房东限期拆除隔断、清退超员租客。",
            "经核查该户为家庭自住，不构成群租，已向报告人说明。",
        ),
        duplicate=(30, 30),
        yearly=170,
        channels={C.HOTLINE_12345: 55, C.GRID_PATROL: 25, C.WEB: 10, C.PHONE: 10},
        texts=(
            "{place}{bno}号楼{room}室疑似群租，一套房隔成多间，住了十几个人。",
            "{place}{bno}号楼{room}室每天进出人员很多，疑似床位出租。",
            "{place}{bno}号楼{room}室新装了很多隔断，楼道里堆满行李。",
        ),
        co_handler=("PCS", "核查租住人员信息登记情况"),
    ),
    CategorySpec(
        "INC-DISPUTE",
        "邻里纠纷",
        "Neighbour disputes",
        K.INCIDENT,
        "INC",
        "楼上漏水、占用公共部位、宠物扰民等邻里之间的矛盾。",
        fields=(
            FieldSpec(
                "kind",
                "纠纷类型",
                T.CHOICE,
                True,
                (
                    ("leak", "漏水"),
                    ("common_parts", "占用公共部位"),
                    ("pets", "宠物"),
                    ("noise", "生活噪声"),
                    ("other", "其他"),
                ),
            ),
        ),
        limits={Stage.RESOLVE: (5, D)},
        replies=(
            "居委会人民调解委员会已组织双方调解，达成一致意见并签订调解协议。",
            "已联系物业上门查找漏水点，楼上住户同意承担维修费用。",
            "已上门劝导当事居民清理楼道堆物，居民表示理解。",
        ),
        yearly=300,
        channels={C.HOTLINE_12345: 50, C.WALK_IN: 15, C.PHONE: 15, C.WEB: 10, C.GRID_PATROL: 10},
        texts=(
            "{place}{bno}号楼{room}室楼上漏水，多次协商未果。",
            "{place}{bno}号楼邻居在楼道堆放杂物，占用公共通道。",
            "{place}{bno}号楼邻居饲养的狗夜间吠叫，影响休息。",
            "{place}{bno}号楼楼上住户每天深夜走动、拖拽家具，沟通无效。",
        ),
    ),
    CategorySpec(
        "INC-SANI",
        "环境卫生",
        "Sanitation",
        K.INCIDENT,
        "INC",
        "垃圾堆放、垃圾分类、小广告、积水等市容环境问题。",
        anonymous=True,
        public=True,
        fields=(
            FieldSpec(
                "kind",
                "问题类型",
                T.CHOICE,
                True,
                (
                    ("dumping", "垃圾堆放"),
                    ("sorting", "垃圾分类"),
                    ("flyposting", "小广告"),
                    ("standing_water", "积水"),
                    ("greenery", "绿化养护"),
                ),
            ),
            FieldSpec("photo", "现场照片", T.PHOTO),
        ),
        limits={Stage.RESOLVE: (2, D)},
        replies=(
            "已通知环卫作业单位清运，现场已恢复整洁。",
            "已清除小广告，并将张贴电话报城管执法中队处理。",
            "已督促物业做好垃圾厢房分类驳运，志愿者将在投放时段值守。",
        ),
        duplicate=(80, 2),
        yearly=520,
        where="street",
        channels={**INCIDENT_CHANNELS, C.GRID_PATROL: 55},
        texts=(
            "{street}路口垃圾堆放多日无人清运。",
            "{place}垃圾厢房周边脏乱，分类不到位。",
            "{street}人行道上小广告较多。",
            "{place}绿化带积水发臭，蚊虫很多。",
            "{street}有人乱倒装修垃圾。",
        ),
    ),
    CategorySpec(
        "INC-NOISE",
        "噪声扰民",
        "Noise",
        K.INCIDENT,
        "INC",
        "施工、商铺、娱乐场所、设备等噪声。",
        anonymous=True,
        fields=(
            FieldSpec(
                "source",
                "噪声来源",
                T.CHOICE,
                True,
                (
                    ("construction", "施工"),
                    ("shop", "商铺"),
                    ("entertainment", "娱乐场所"),
                    ("equipment", "设备"),
                    ("neighbour", "邻居装修"),
                ),
            ),
            FieldSpec("period", "时段", T.CHOICE, False, (("day", "日间"), ("night", "夜间"))),
        ),
        limits={Stage.RESOLVE: (3, D)},
        replies=(
            "城管执法中队已到场，施工单位已停止夜间施工，并承诺按规定时间作业。",
            "已约谈商铺负责人，音响已调低并移入店内。",
            "已协调物业更换空调外机减震垫，噪声明显降低。",
        ),
        yearly=340,
        where="street",
        channels={C.HOTLINE_12345: 65, C.WEB: 15, C.PHONE: 12, C.GRID_PATROL: 5, C.OPEN311: 3},
        texts=(
            "{street}工地夜间施工，噪声扰民。",
            "{street}一家商铺门口音响声音过大。",
            "{place}{bno}号楼楼上住户早上七点前就开始装修。",
            "{street}餐饮店空调外机噪声大，晚上睡不着。",
        ),
    ),
    CategorySpec(
        "INC-REPAIR",
        "房屋及设施报修",
        "Repairs",
        K.INCIDENT,
        "INC",
        "路灯、井盖、楼道灯、屋面漏水、下水道堵塞、门禁、电梯故障等。",
        public=True,
        fields=(
            FieldSpec(
                "item",
                "报修项目",
                T.CHOICE,
                True,
                (
                    ("street_light", "路灯"),
                    ("manhole", "井盖"),
                    ("stair_light", "楼道灯"),
                    ("roof", "屋面漏水"),
                    ("drain", "下水道堵塞"),
                    ("door", "门禁"),
                    ("lift", "电梯故障"),
                ),
            ),
            FieldSpec("photo", "现场照片", T.PHOTO),
        ),
        replies=(
            "已安排维修人员上门处理，现已修复。",
            "屋面防水需整体维修，已纳入本年度修缮计划，先行做了临时封堵。",
            "已通知路灯管理所更换灯具。",
        ),
        duplicate=(40, 7),
        yearly=560,
        channels={**INCIDENT_CHANNELS, C.BUILDING_MANAGER: 10},
        texts=(
            "{place}{bno}号楼{unit}单元楼道灯损坏。",
            "{street}路灯不亮，晚上很黑。",
            "{street}人行道井盖松动，有安全隐患。",
            "{place}{bno}号楼顶楼屋面漏水，墙面发霉。",
            "{place}{bno}号楼下水道堵塞，污水外溢。",
            "{place}{bno}号楼单元门禁坏了，关不上。",
        ),
    ),
    CategorySpec(
        "SVC-LIFT",
        "老旧住宅加装电梯",
        "Lift installation in an old building",
        K.RESIDENT_SERVICE,
        "SVC",
        "多层住宅加装电梯的意向登记、意见征询、方案与审批协调。",
        fields=(
            FieldSpec("building_no", "楼号", T.TEXT, True),
            FieldSpec("floors", "楼层数", T.NUMBER, True),
            FieldSpec("consent", "已同意业主比例（%）", T.NUMBER, False, help_text="按户数计"),
        ),
        limits={Stage.RESOLVE: (15, D), Stage.EXTENSION: (20, D)},
        replies=(
            "已受理加装电梯意向，社区规划师将上门开展意见征询。",
            "本楼同意比例已达到双三分之二要求，已协助提交方案审批。",
        ),
        yearly=60,
        channels={C.WALK_IN: 45, C.HOTLINE_12345: 25, C.WEB: 20, C.PHONE: 10},
        texts=(
            "{place}{bno}号楼共{floors}层，居民希望加装电梯，已有{consent}%的业主同意。",
            "{place}{bno}号楼老人多，上下楼困难，想了解加装电梯怎么申请。",
        ),
        co_handler=("FGB", "审核加装电梯方案，协调管线搬迁"),
    ),
    CategorySpec(
        "SVC-ELDER",
        "为老服务",
        "Elderly care",
        K.RESIDENT_SERVICE,
        "SVC",
        "助餐、助浴、上门探访、居家适老化改造等。",
        fields=(
            FieldSpec(
                "service",
                "服务项目",
                T.CHOICE,
                True,
                (
                    ("meals", "助餐"),
                    ("bathing", "助浴"),
                    ("visits", "上门探访"),
                    ("adaptation", "适老化改造"),
                ),
            ),
        ),
        replies=(
            "已为老人登记社区助餐，从下周一起由长者食堂送餐上门。",
            "已安排助浴服务，工作人员将电话预约上门时间。",
        ),
        yearly=180,
        channels=SERVICE_CHANNELS,
        texts=(
            "{place}独居老人希望申请助餐服务。",
            "为家中九十岁老人咨询上门助浴服务。",
            "{place}{bno}号楼老人申请居家适老化改造，卫生间需要加装扶手。",
            "{place}{bno}号楼独居老人家人在外地，希望社区定期上门探访。",
        ),
    ),
    CategorySpec(
        "APP-START",
        "开办指导",
        "Start-up guidance",
        K.ENTERPRISE_APPEAL,
        "APP",
        fields=(
            FieldSpec(
                "step",
                "办理环节",
                T.CHOICE,
                True,
                (
                    ("name", "名称申报"),
                    ("registration", "设立登记"),
                    ("bank", "银行开户"),
                    ("tax", "税务报到"),
                ),
            ),
        ),
        replies=("已安排帮办专员一对一指导，材料齐全后可当日办结设立登记。",),
        yearly=70,
        where="enterprise",
        channels=APPEAL_CHANNELS,
        texts=(
            "{company}计划在{building}新设分公司，咨询开办流程。",
            "{company}的投资方想在本街道设立新公司，希望了解一网通办开办流程。",
        ),
    ),
    CategorySpec(
        "APP-LIC",
        "证照办理",
        "Licences",
        K.ENTERPRISE_APPEAL,
        "APP",
        fields=(FieldSpec("licence", "证照名称", T.TEXT, True),),
        replies=(
            "已协调区市场监管局窗口，材料补正后三个工作日内出证。",
            "已告知所需材料清单，并预约了企业服务中心帮办窗口。",
        ),
        yearly=110,
        where="enterprise",
        channels=APPEAL_CHANNELS,
        texts=(
            "{company}办理食品经营许可证遇到材料问题，希望协助。",
            "{company}需要变更营业执照经营范围，咨询办理渠道。",
            "{company}的人力资源服务许可证即将到期，咨询延续手续。",
        ),
    ),
    CategorySpec(
        "APP-POLICY",
        "政策申报",
        "Policy applications",
        K.ENTERPRISE_APPEAL,
        "APP",
        fields=(
            FieldSpec("policy", "政策名称", T.TEXT, True),
            FieldSpec("amount", "预计金额（万元）", T.NUMBER),
        ),
        limits={Stage.RESOLVE: (10, D)},
        replies=(
            "已核对申报条件，企业符合要求，已协助完成线上申报。",
            "经核对企业上年度营收未达申报门槛，已推荐其他适用政策。",
        ),
        yearly=140,
        where="enterprise",
        channels=APPEAL_CHANNELS,
        texts=(
            "{company}申报区级专项扶持资金，咨询申报条件。",
            "{company}希望申请高新技术企业认定奖励。",
            "{company}咨询总部企业扶持政策，预计申报金额{amount}万元。",
        ),
    ),
    CategorySpec(
        "APP-FIN",
        "融资需求",
        "Financing",
        K.ENTERPRISE_APPEAL,
        "APP",
        fields=(
            FieldSpec("amount", "融资金额（万元）", T.NUMBER, True),
            FieldSpec(
                "use",
                "资金用途",
                T.CHOICE,
                False,
                (("working_capital", "流动资金"), ("equipment", "设备购置"), ("rnd", "研发投入")),
            ),
        ),
        replies=("已对接两家合作银行的普惠金融产品，银行客户经理将上门洽谈。",),
        yearly=60,
        where="enterprise",
        channels=APPEAL_CHANNELS,
        texts=(
            "{company}有{amount}万元流动资金贷款需求，希望对接银行。",
            "{company}计划购置设备，需要融资{amount}万元。",
        ),
    ),
    CategorySpec(
        "APP-TALENT",
        "人才与住房",
        "Talent and housing",
        K.ENTERPRISE_APPEAL,
        "APP",
        fields=(
            FieldSpec(
                "need",
                "需求",
                T.CHOICE,
                True,
                (
                    ("hukou", "人才落户"),
                    ("apartment", "人才公寓"),
                    ("school", "子女入学"),
                    ("subsidy", "人才补贴"),
                ),
            ),
            FieldSpec("people", "涉及人数", T.NUMBER),
        ),
        replies=("已推荐人才公寓房源，并协助办理入住申请。",),
        yearly=90,
        where="enterprise",
        channels=APPEAL_CHANNELS,
        texts=(
            "{company}新引进{people}名骨干员工，希望申请人才公寓。",
            "{company}海外引进人才咨询子女入学政策。",
            "{company}员工咨询人才引进落户条件。",
        ),
    ),
    CategorySpec(
        "APP-SPACE",
        "经营场所",
        "Premises",
        K.ENTERPRISE_APPEAL,
        "APP",
        fields=(
            FieldSpec("area", "需求面积（平方米）", T.NUMBER, True),
            FieldSpec("needed_by", "希望入驻时间", T.DATE),
        ),
        replies=("已推荐区域内三处符合要求的空置办公空间，并安排看房。",),
        yearly=60,
        where="enterprise",
        channels=APPEAL_CHANNELS,
        texts=(
            "{company}业务扩张，需要在附近新增约{area}平方米办公面积。",
            "{company}租约即将到期，希望在本街道内寻找新的办公场所。",
        ),
    ),
    CategorySpec(
        "ENQ-AFFAIRS",
        "办事咨询",
        "How to get things done",
        K.ENQUIRY,
        "ENQ",
        replies=(
            "已电话答复，告知所需材料和办理地点。",
            "已告知可通过一网通办线上办理，并发送了办事指南链接。",
        ),
        yearly=320,
        channels=ENQUIRY_CHANNELS,
        texts=(
            "咨询居住证办理所需材料。",
            "咨询社区事务受理服务中心周末是否办公。",
            "咨询老年综合津贴申领流程。",
            "咨询新生儿医保参保手续。",
            "咨询残疾人证办理流程。",
        ),
    ),
    CategorySpec(
        "ENQ-POLICY",
        "政策咨询",
        "Policy questions",
        K.ENQUIRY,
        "ENQ",
        replies=("已电话答复政策适用条件，并告知申报时间。",),
        yearly=170,
        where="enterprise",
        channels=ENQUIRY_CHANNELS,
        texts=(
            "{company}咨询小微企业稳岗补贴政策。",
            "{company}咨询高新技术企业认定的条件。",
            "{company}咨询研发费用加计扣除政策。",
        ),
    ),
)


@dataclass(frozen=True)
class RuleSpec:
    category: str
    organisation: str  # organisation code
    priority: int = 50
    name: str = ""


# Line departments and agencies, after the locality rules built per place in demo.py.
RULES = (
    RuleSpec("INC-EBIKE", "PAB", name="电动车充电隐患→社区平安办"),
    RuleSpec("INC-FOOD", "SCJG", name="食品安全→市场监管所"),
    RuleSpec("INC-RENT", "FGB", name="群租→房管办事处"),
    RuleSpec("INC-DISPUTE", "ZZB", name="邻里纠纷→社区自治办"),
    RuleSpec("INC-SANI", "SQGL", name="环境卫生→社区管理办"),
    RuleSpec("INC-NOISE", "CGZD", name="噪声→城管执法中队"),
    RuleSpec("INC-REPAIR", "FGB", name="房屋设施报修→房管办事处"),
    RuleSpec("SVC-LIFT", "SQGL", name="加装电梯→社区管理办"),
    RuleSpec("SVC-ELDER", "SQFW", name="为老服务→社区服务办"),
    RuleSpec("APP", "YSB", 60, "企业诉求→营商办"),
    RuleSpec("APP-LIC", "QYFW", name="证照办理→企业服务中心"),
    RuleSpec("APP-TALENT", "QYFW", name="人才与住房→企业服务中心"),
    RuleSpec("ENQ", "SWSL", 60, "办事咨询→社区事务受理服务中心"),
    RuleSpec("ENQ-POLICY", "QYFW", name="政策咨询→企业服务中心"),
)
# Categories handled where they happen (先属地后属主): the quarter's neighbourhood committee,
# the grid's workstation, the building's management committee.
BY_QUARTER = ("INC-EBIKE", "INC-DISPUTE")
BY_GRID = ("INC-SANI",)
BY_BUILDING = ("INC-REPAIR",)

RETURN_REASONS = (
    "不属于本部门职责范围，建议改派{org}。",
    "事发地点不在本辖区，请核实后改派。",
    "该事项涉及执法，本单位无执法权，请改派{org}。",
)
REJECT_NOTES = {
    "duplicate": "与此前工单反映同一问题，已在原工单中处理。",
    "out_of_scope": "该事项属于法院诉讼范围，已告知报告人通过司法途径解决。",
    "insufficient_info": "多次联系报告人未果，地址信息不全，无法核实。",
}
WAIT_NOTES = (
    "请报告人提供具体门牌号，以便上门核查。",
    "请报告人补充现场照片。",
    "约定的上门时间报告人不在家，等待报告人另约时间。",
)
EXTENSION_REASONS = (
    "需协调多个部门联合处置，申请延期。",
    "维修需要采购配件，申请延期。",
    "需等待业主大会表决结果，申请延期。",
)
REWORK_REASONS = (
    "现场核查问题仍然存在，请继续处置。",
    "整改不彻底，楼道内仍有电线，请返工。",
    "未提供处置后照片，现场未恢复原状。",
)
REOPEN_REASONS = (
    "报告人对处理结果不满意：问题反复出现。",
    "报告人表示未有人联系，请重新处置。",
    "报告人不认可处理结果，要求重新核查。",
)
LONG_TERM_REASONS = (
    "涉及房屋结构整体修缮，需纳入明年修缮计划资金安排。",
    "涉及规划调整，短期内无法解决，已挂账跟踪。",
    "需待小区业委会改选后推进，挂账跟踪。",
)
CALLBACK_NOTES = {
    "satisfied": ("报告人表示满意。", "报告人对处理速度表示感谢。"),
    "basically_satisfied": ("报告人基本满意，希望后续加强巡查。", "报告人表示问题基本解决。"),
    "dissatisfied": ("报告人表示不满意，问题仍然存在。", "报告人认为处理敷衍。"),
}
RATING_COMMENTS = (
    "处理很及时，谢谢！",
    "工作人员态度很好。",
    "问题解决了，但等的时间有点长。",
    "希望以后多巡查。",
)
SHOPS = ("便利店", "面馆", "小吃店", "水果店", "生鲜超市", "烘焙店", "奶茶店", "快餐店")
LICENCES = ("食品经营许可证", "人力资源服务许可证", "出版物经营许可证", "医疗器械经营备案")
POLICIES = ("总部经济扶持", "专精特新企业奖励", "楼宇经济贡献奖励", "稳岗补贴")
