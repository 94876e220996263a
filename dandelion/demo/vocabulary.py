"""Words the demo city is made of: hosts, brands, offers. Plain data, no logic.

Brands and banks are real names a Jiujiang street would show; the branches and shops built
from them are invented.
"""

# Street name → the short form used inside station names ("甘棠街道" → "甘棠").
STREET_SUFFIXES = ("街道", "镇", "乡")

BANKS = (
    "中国银行",
    "中国工商银行",
    "中国建设银行",
    "中国农业银行",
    "交通银行",
    "中国邮政储蓄银行",
    "九江银行",
    "江西银行",
    "九江农商银行",
)

CARRIERS = ("九江移动", "九江电信", "九江联通")

RIDE_PLATFORMS = ("美团", "饿了么")
COURIER_BRANDS = (
    "顺丰速运",
    "中通快递",
    "圆通速递",
    "韵达快递",
    "申通快递",
    "京东物流",
    "极兔速递",
)
COURIER_POST = "中国邮政"

# Merchants that host a station (partner_merchant) or join as a caring merchant (爱心商铺).
STATION_MERCHANTS = ("联盛超市", "华润万家", "永辉超市", "蜜雪冰城", "老乡鸡", "华莱士")
FUEL_STATIONS = ("中国石化", "中国石油")
_DRINK_OFFERS = ("骑手凭工牌饮品八折", "外卖小哥免费续杯热水", "夏季免费绿豆汤")
_MEAL_OFFERS = ("凭工牌工作餐九折", "免费加热餐食", "外卖小哥免费续杯热水")
_SHOP_OFFERS = ("手机免费充电", "雨天免费借伞", "进店歇脚，无需消费")
# Caring merchants (爱心商铺): brand → the offers it may make to workers.
CARING_MERCHANT_BRANDS: dict[str, tuple[str, ...]] = {
    "蜜雪冰城": _DRINK_OFFERS,
    "沪上阿姨": _DRINK_OFFERS,
    "书亦烧仙草": _DRINK_OFFERS,
    "瑞幸咖啡": _DRINK_OFFERS,
    "正新鸡排": _MEAL_OFFERS,
    "华莱士": _MEAL_OFFERS,
    "老乡鸡": _MEAL_OFFERS,
    "浔阳鱼粉馆": _MEAL_OFFERS,
    "柴桑米粉": _MEAL_OFFERS,
    "好又多面包": ("临期面包免费送骑手", "免费加热餐食", "进店歇脚，无需消费"),
    "九江茶饼老店": ("外卖小哥免费续杯热水", "进店歇脚，无需消费"),
    "庐山云雾茶庄": ("免费热茶一杯", "进店歇脚，无需消费"),
    "联盛超市": _SHOP_OFFERS,
    "美宜佳便利店": _SHOP_OFFERS,
    "小哥电动车维修": ("电动车补胎工时费减半", "免费打气、检查刹车"),
    "平价大药房": ("凭工牌购药九五折", "免费测血压", "夏季防暑药品免费取用"),
}
CONVENIENCE_BRANDS = ("美宜佳便利店",)

# Service corners (服务角) inside places people pass anyway, with the street they are in.
SERVICE_CORNER_PLACES = (
    ("九江联盛快乐城", "360403001"),
    ("九方购物中心", "360403003"),
    ("九江万达广场", "360402001"),
    ("浔阳楼景区游客中心", "360403003"),
    ("南湖公园北门", "360403001"),
    ("九江站东广场", "360403005"),
    ("八里湖公园游客中心", "360403006"),
    ("九江学院南门", "360402001"),
    ("十里大道农贸市场", "360402001"),
    ("长虹大道公交总站", "360403005"),
    ("白水湖菜市场", "360403004"),
    ("滨江东路客运码头", "360403092"),
    ("向阳路社区卫生服务中心", "360403091"),
    ("五里街道便民服务中心", "360402002"),
    ("莲花镇政务服务大厅", "360402103"),
    ("柴桑区政务服务中心", "360404001"),
    ("沙河汽车站", "360404001"),
    ("狮子街道文化广场", "360404002"),
    ("琵琶湖体育中心", "360403006"),
)
SERVICE_CORNER_OFFERS = (
    "免费饮水、手机充电，可借用卫生间",
    "提供微波炉加热和休息座椅",
    "饮水、充电、如厕一站解决",
    "雨天借伞，夏季防暑药品",
)

# Places that suit a driver's home (司机之家), by street: the port, logistics parks, the station.
DRIVER_PLACES: dict[str, tuple[str, ...]] = {
    "360403092": ("九江港滨兴作业区", "滨江东路货运码头"),
    "360403006": ("八里湖物流园", "九瑞大道货运中心"),
    "360404001": ("沙河物流园", "柴桑汽车站"),
    "360403005": ("九江站", "长虹西大道物流中心"),
}

OTHER_STATION_NAMES = (
    "{street}户外劳动者驿站",
    "{street}环卫工人爱心驿站",
    "{community}法律服务驿站",
    "{road}交警爱心驿站",
)

TRADE_UNIONS = ("九江市总工会", "{district}总工会")
PARTY_COMMITTEES = ("九江市新就业群体综合党委", "{district}新就业群体综合党委")

STATION_NOTES = (
    "",
    "",
    "",
    "红色蒲公英服务创新园统一管理",
    "设有流动党员报到点",
    "配有无人冰柜，免费取水",
    "可在此参加微课堂",
)
