using Shouwang.Domain.People;

namespace Shouwang.Domain.Registry.Roster;

/// <summary>The words real rosters use for their headers and values. Keys are compared after <see cref="NormalizeHeader"/> or <see cref="NormalizeValue"/>.</summary>
public static class RosterVocabulary
{
    private static readonly Dictionary<string, RosterColumn> Headers = Build(new Dictionary<RosterColumn, string[]>
    {
        [RosterColumn.Name] = ["姓名", "名字", "居民姓名", "人员姓名"],
        [RosterColumn.DocumentNumber] = ["身份证号", "身份证号码", "证件号码", "证件号", "公民身份号码", "身份证"],
        [RosterColumn.DocumentType] = ["证件类型"],
        [RosterColumn.Phone] = ["联系电话", "手机号", "手机号码", "电话", "联系方式", "电话号码"],
        [RosterColumn.Compound] = ["小区", "小区名称", "自然村", "小区(自然村)"],
        [RosterColumn.Building] = ["楼栋", "栋", "楼号", "楼栋号"],
        [RosterColumn.Unit] = ["单元", "单元号"],
        [RosterColumn.DoorNumber] = ["门牌号", "房号", "门牌", "房间号", "室"],
        [RosterColumn.Address] = ["住址", "地址", "现住址", "居住地址", "家庭住址", "详细地址"],
        [RosterColumn.RelationToHead] = ["与户主关系", "户主关系", "关系"],
        [RosterColumn.ResidenceType] = ["人员类型", "居住类型", "人口类型", "户籍类型"],
        [RosterColumn.Tags] = ["标签", "特殊人群", "人群分类", "重点人群"],
        [RosterColumn.VaccinationDoses] = ["疫苗接种剂次", "接种剂次", "疫苗剂次", "接种针次"],
        [RosterColumn.Grid] = ["网格", "所属网格", "网格名称"],
        [RosterColumn.Notes] = ["备注"],
    });

    private static readonly HashSet<string> SequenceHeaders = ["序号", "编号", "序", "no", "no."];

    private static readonly Dictionary<string, DocumentType> DocumentTypes = Build(new Dictionary<DocumentType, string[]>
    {
        [DocumentType.ResidentIdCard] = ["身份证", "居民身份证", "二代身份证"],
        [DocumentType.Passport] = ["护照"],
        [DocumentType.HongKongMacaoPermit] = ["港澳通行证", "港澳居民来往内地通行证", "回乡证"],
        [DocumentType.TaiwanPermit] = ["台胞证", "台湾居民来往大陆通行证"],
        [DocumentType.ForeignPermanentResidentCard] = ["外国人永久居留身份证", "永居证", "外国人永久居留证"],
    });

    private static readonly Dictionary<string, RelationToHead> Relations = Build(new Dictionary<RelationToHead, string[]>
    {
        [RelationToHead.Head] = ["户主", "本人"],
        [RelationToHead.Spouse] = ["配偶", "妻", "夫", "妻子", "丈夫"],
        [RelationToHead.Child] = ["子", "女", "儿子", "女儿", "子女", "长子", "长女", "次子", "次女"],
        [RelationToHead.Parent] = ["父亲", "母亲", "父母", "父", "母"],
        [RelationToHead.Grandchild] = ["孙子", "孙女", "外孙子", "外孙女", "孙子女"],
        [RelationToHead.Grandparent] = ["祖父", "祖母", "外祖父", "外祖母"],
        [RelationToHead.Sibling] = ["兄", "弟", "姐", "妹", "兄弟姐妹", "哥哥", "弟弟", "姐姐", "妹妹"],
        [RelationToHead.ChildInLaw] = ["儿媳", "女婿"],
        [RelationToHead.Tenant] = ["租户", "租客", "承租人"],
        [RelationToHead.OtherRelative] = ["其他亲属", "亲属"],
        [RelationToHead.Other] = ["其他", "其它"],
    });

    private static readonly Dictionary<string, ResidenceType> ResidenceTypes = Build(new Dictionary<ResidenceType, string[]>
    {
        [ResidenceType.Registered] = ["户籍", "户籍人口"],
        [ResidenceType.Resident] = ["常住", "常住人口"],
        [ResidenceType.Temporary] = ["暂住", "暂住人口", "租住"],
        [ResidenceType.Floating] = ["流动", "流动人口"],
    });

    private static readonly Dictionary<string, VulnerabilityTags> Tags = Build(new Dictionary<VulnerabilityTags, string[]>
    {
        [VulnerabilityTags.ElderlyLivingAlone] = ["独居老人", "独居"],
        [VulnerabilityTags.Disabled] = ["残疾", "残疾人"],
        [VulnerabilityTags.Bedridden] = ["卧床", "长期卧床"],
        [VulnerabilityTags.PregnantOrPostpartum] = ["孕产妇", "孕妇", "产妇"],
        [VulnerabilityTags.InfantOrToddler] = ["婴幼儿"],
        [VulnerabilityTags.ChronicIllness] = ["慢性病", "慢病"],
        [VulnerabilityTags.LimitedMobility] = ["行动不便"],
        [VulnerabilityTags.Dialysis] = ["透析", "血透"],
        [VulnerabilityTags.LowIncome] = ["低保", "特困", "低保户"],
        // What people write in a tag cell to say "none".
        [VulnerabilityTags.None] = ["无", "否", "/", "-", "—", "--"],
    });

    private static readonly string[] HeaderNoise = ["(必填)", "(选填)", "*", ":"];

    /// <summary>Full-width to half-width, no spaces or line breaks, no "*", "：" or "(必填)"; lower-case.</summary>
    public static string NormalizeHeader(string? text)
    {
        var normalized = TextNormalizer.Normalize(text);
        foreach (var noise in HeaderNoise) normalized = normalized.Replace(noise, "", StringComparison.Ordinal);
        return normalized.ToLowerInvariant();
    }

    public static string NormalizeValue(string? text) => TextNormalizer.Normalize(text).ToLowerInvariant();

    public static bool TryMatchHeader(string? text, out RosterColumn column)
    {
        var key = NormalizeHeader(text);
        if (key.Length == 0) { column = default; return false; }
        if (Headers.TryGetValue(key, out column)) return true;
        // "身份证号(18位)", "联系电话(手机)": a remark in brackets after a known header
        var bracket = key.IndexOf('(', StringComparison.Ordinal);
        return bracket > 0 && Headers.TryGetValue(key[..bracket], out column);
    }

    public static bool IsSequenceHeader(string? text) => SequenceHeaders.Contains(NormalizeHeader(text));

    public static bool TryMatchDocumentType(string? text, out DocumentType type) => DocumentTypes.TryGetValue(NormalizeValue(text), out type);

    public static bool TryMatchRelation(string? text, out RelationToHead relation) => Relations.TryGetValue(NormalizeValue(text), out relation);

    public static bool TryMatchResidenceType(string? text, out ResidenceType type) => ResidenceTypes.TryGetValue(NormalizeValue(text), out type);

    public static bool TryMatchTag(string? text, out VulnerabilityTags tag) => Tags.TryGetValue(NormalizeValue(text), out tag);

    /// <summary>"3", "3针", "三针", "已接种3剂", "未接种" → 0..n; false if no count can be read.</summary>
    public static bool TryParseDoses(string? text, out int doses)
    {
        doses = 0;
        var value = NormalizeValue(text);
        if (value is "" or "未接种" or "未打" or "无" or "否") return true;
        foreach (var prefix in (string[])["已接种", "接种", "已打", "已"])
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal)) { value = value[prefix.Length..]; break; }
        }
        foreach (var suffix in (string[])["剂次", "针次", "剂", "针", "次"])
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal)) { value = value[..^suffix.Length]; break; }
        }
        if (value.Length == 1 && "零一二三四五六七八九".IndexOf(value[0], StringComparison.Ordinal) is var index and >= 0)
        {
            doses = index;
            return true;
        }
        if (value == "两") { doses = 2; return true; }
        return value.Length is > 0 and <= 2 && value.All(char.IsAsciiDigit) && int.TryParse(value, out doses);
    }

    private static Dictionary<string, TValue> Build<TValue>(Dictionary<TValue, string[]> words) where TValue : notnull
    {
        var map = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var (value, keys) in words)
        {
            foreach (var key in keys) map.Add(NormalizeValue(key), value);
        }
        return map;
    }
}
