using Shouwang.Domain.People;
using Shouwang.Domain.Registry.Roster;

namespace Shouwang.Domain.Tests.Registry;

public class RosterParserTests
{
    private const string Zhang = "43020219900307123X";   // male, 1990-03-07
    private const string Li = "430202199003071248";      // female
    private const string Wang = "430202198511200021";
    private const string Zhao = "440306198808081011";

    private static readonly object?[] StandardHeader = ["序号", "姓名", "性别", "身份证号码", "联系电话", "小区", "楼栋", "单元", "门牌号", "与户主关系"];

    private static object?[] Person(int sequence, string name, object? id, object? phone = null, string compound = "晏家湾小区",
        object? building = null, object? unit = null, object? door = null, string? relation = "户主") =>
        [sequence, name, "男", id, phone, compound, building ?? 3d, unit ?? 2d, door ?? 301d, relation];

    private static RosterParseResult Parse(params object?[][] rows) => RosterParser.Parse(rows);

    private static RosterIssue Single(RosterParseResult result, RosterIssueCode code) => Assert.Single(result.Issues, i => i.Code == code);

    // ---------- header ----------

    [Fact]
    public void Finds_the_header_below_a_title_and_a_blank_row_and_reads_ugly_headers()
    {
        var result = Parse(
            ["金山街道晏家湾社区居民花名册", null, null, null, null, null],
            [null, null, " ", null, null, null],
            ["序号", "*姓名（必填）", "性 别", "身份证号码\n(必填)", "联系电话：", " 小区（自然村） "],
            [1d, "张三", "男", Zhang, 13800138000d, "晏家湾小区"]);

        Assert.Equal(3, result.HeaderRowNumber);
        Assert.Equal("*姓名(必填)", result.MappedHeaders[RosterColumn.Name]);
        Assert.Equal("身份证号码 (必填)", result.MappedHeaders[RosterColumn.DocumentNumber]);
        Assert.Equal("联系电话:", result.MappedHeaders[RosterColumn.Phone]);
        Assert.Equal("小区(自然村)", result.MappedHeaders[RosterColumn.Compound]);
        Assert.Equal(["序号", "性 别"], result.IgnoredHeaders);
        var row = Assert.Single(result.ValidRows);
        Assert.Equal(4, row.RowNumber);
        Assert.Equal("张三", row.Name);
        Assert.Empty(result.Issues);
        Assert.Equal(1, result.DataRowCount);
    }

    [Theory]
    [InlineData("名字", "公民身份号码")]
    [InlineData("居民姓名", "证件号")]
    [InlineData("人员姓名", "身份证")]
    [InlineData("姓 名", "身份证号(18位)")]
    public void Recognises_header_synonyms(string name, string document)
    {
        var result = Parse([name, document, "住址"], ["张三", Zhang, "晏家湾小区"]);

        Assert.Equal(1, result.HeaderRowNumber);
        Assert.Equal(Zhang, Assert.Single(result.ValidRows).DocumentNumber);
    }

    [Fact]
    public void A_sheet_without_a_recognisable_header_is_HeaderNotFound()
    {
        var result = Parse(
            ["人口统计表"],
            ["户号", "成员", "号码"],
            ["1", "张三", Zhang]);

        var issue = Single(result, RosterIssueCode.HeaderNotFound);
        Assert.Equal(0, issue.RowNumber);
        Assert.False(issue.IsWarning);
        Assert.Equal(0, result.HeaderRowNumber);
        Assert.Empty(result.ValidRows);
        Assert.True(result.HasErrors);
        Assert.Empty(result.BadRowNumbers);
    }

    [Fact]
    public void An_empty_sheet_is_HeaderNotFound()
    {
        Single(Parse(), RosterIssueCode.HeaderNotFound);
    }

    [Fact]
    public void The_header_must_be_in_the_first_30_rows()
    {
        var rows = Enumerable.Range(0, 30).Select(_ => new object?[] { "说明文字" }).ToList();
        rows.Add(["姓名", "身份证号"]);
        rows.Add(["张三", Zhang]);

        Single(Parse([.. rows]), RosterIssueCode.HeaderNotFound);
    }

    [Fact]
    public void A_header_without_a_document_column_is_MissingRequiredColumn()
    {
        var result = Parse(
            ["姓名", "联系电话", "住址"],
            ["张三", "13800138000", "晏家湾小区3栋"]);

        var issue = Single(result, RosterIssueCode.MissingRequiredColumn);
        Assert.Equal("证件号码", issue.Column);
        Assert.Equal(1, result.HeaderRowNumber);
        Assert.Empty(result.ValidRows);
    }

    [Fact]
    public void Prefers_the_header_row_that_maps_most_columns_over_a_group_row_above_it()
    {
        // A two-row header whose group cells ("居住地址") were merged and repeated by the reader.
        var result = Parse(
            ["姓名", "身份证号", "居住地址", "居住地址", "居住地址", "居住地址"],
            ["姓名", "身份证号", "小区", "楼栋", "单元", "房号"],
            ["张三", Zhang, "晏家湾小区", "3", "2", "301"]);

        Assert.Equal(2, result.HeaderRowNumber);
        var row = Assert.Single(result.ValidRows);
        Assert.Equal("晏家湾小区3栋2单元301室", row.Address);
        Assert.Equal("301", row.DoorNumber);
    }

    [Fact]
    public void A_second_column_for_the_same_field_is_ignored()
    {
        var result = Parse(
            ["姓名", "身份证号", "手机号", "联系电话", "住址"],
            ["张三", Zhang, "13800138000", "0731-12345678", "晏家湾小区"]);

        Assert.Equal("手机号", result.MappedHeaders[RosterColumn.Phone]);
        Assert.Contains("联系电话", result.IgnoredHeaders);
        Assert.Equal("13800138000", Assert.Single(result.ValidRows).Phone);
    }

    // ---------- a whole row ----------

    [Fact]
    public void Reads_every_column_of_a_complete_row()
    {
        var result = Parse(
            ["姓名", "证件类型", "证件号码", "手机号码", "小区名称", "楼栋号", "单元号", "房间号", "关系", "人口类型", "重点人群", "接种剂次", "所属网格", "备注"],
            ["李四", "居民身份证", Li, "+86 138-0013-8000", "晏家湾小区", 3d, 2d, 301d, "妻子", "常住人口", "孕妇", 3d, "第一网格", "租房"]);

        var row = Assert.Single(result.ValidRows);
        Assert.Equal(
            new RosterRow(2, "李四", DocumentType.ResidentIdCard, Li, "13800138000", "晏家湾小区", "3", "2", "301",
                "晏家湾小区3栋2单元301室", RelationToHead.Spouse, ResidenceType.Resident, VulnerabilityTags.PregnantOrPostpartum, 3,
                "第一网格", "租房"),
            row);
        Assert.Empty(result.IgnoredHeaders);
        Assert.Equal(14, result.MappedHeaders.Count);
    }

    [Fact]
    public void Optional_columns_take_their_defaults()
    {
        var result = Parse(["姓名", "身份证号", "住址"], ["张三", Zhang, "晏家湾小区3栋"]);

        var row = Assert.Single(result.ValidRows);
        Assert.Null(row.Phone);
        Assert.Equal(RelationToHead.Other, row.RelationToHead);
        Assert.Equal(ResidenceType.Registered, row.ResidenceType);
        Assert.Equal(VulnerabilityTags.None, row.Tags);
        Assert.Equal(0, row.VaccinationDoses);
        Assert.Null(row.Grid);
        Assert.Null(row.Notes);
    }

    [Fact]
    public void Reports_every_issue_of_a_row_with_the_files_own_header_text()
    {
        var result = Parse(
            ["姓名*", "身份证号码", "电话", "住址", "与户主关系", "标签", "疫苗剂次"],
            ["", "430202199003071234", "12345", "", "表哥", "独居,吸烟", "7"]);

        Assert.Equal(
            [
                (RosterIssueCode.NameMissing, "姓名*"),
                (RosterIssueCode.DocumentInvalid, "身份证号码"),
                (RosterIssueCode.PhoneInvalid, "电话"),
                (RosterIssueCode.AddressMissing, "住址"),
                (RosterIssueCode.RelationUnknown, "与户主关系"),
                (RosterIssueCode.TagUnknown, "标签"),
                (RosterIssueCode.VaccinationInvalid, "疫苗剂次"),
            ],
            result.Issues.Select(i => (i.Code, i.Column)));
        Assert.All(result.Issues, i => Assert.Equal(2, i.RowNumber));
        Assert.All(result.Issues, i => Assert.False(i.IsWarning));
        Assert.Equal("WrongCheckDigit", Single(result, RosterIssueCode.DocumentInvalid).Detail);
        Assert.Equal("吸烟", Single(result, RosterIssueCode.TagUnknown).Value);
        Assert.Empty(result.ValidRows);
        Assert.Equal([2], result.BadRowNumbers);
    }

    // ---------- numbers stored as numbers ----------

    [Fact]
    public void A_phone_stored_as_a_number_reads_as_its_digits()
    {
        var result = Parse(StandardHeader,
            Person(1, "张三", Zhang, phone: 13800138000d),
            Person(2, "李四", Li, phone: 1.3800138E+10),
            Person(3, "王五", Wang, phone: "1.3800138E+10"),
            Person(4, "赵六", Zhao, phone: 13800138000L));

        Assert.Empty(result.Issues);
        Assert.All(result.ValidRows, r => Assert.Equal("13800138000", r.Phone));
    }

    [Fact]
    public void An_id_number_stored_as_a_double_has_lost_its_last_digits()
    {
        var result = Parse(StandardHeader, Person(1, "张三", 4.30202199003071E+17));

        var issue = Single(result, RosterIssueCode.DocumentLostPrecision);
        Assert.Equal(2, issue.RowNumber);
        Assert.Equal("身份证号码", issue.Column);
        Assert.Equal("4.30202199003071E+17", issue.Value);
        Assert.Empty(result.ValidRows);
    }

    [Theory]
    [InlineData("4.30202E+17")]
    [InlineData("4.30202199003071e+17")]
    [InlineData("４.３０２０２Ｅ＋１７")]
    public void An_id_number_copied_as_scientific_text_has_lost_its_digits(string text)
    {
        Single(Parse(StandardHeader, Person(1, "张三", text)), RosterIssueCode.DocumentLostPrecision);
    }

    [Theory]
    [InlineData("12E45678")]
    [InlineData("E12345678")]
    [InlineData("1.5E+3")]
    public void Text_that_only_looks_scientific_is_checked_as_a_document(string text)
    {
        var result = Parse(["姓名", "证件号码", "住址"], ["Anna Müller", text, "晏家湾小区"]);

        Assert.DoesNotContain(result.Issues, i => i.Code == RosterIssueCode.DocumentLostPrecision);
    }

    [Fact]
    public void A_15_to_17_digit_double_or_an_18_digit_decimal_has_lost_precision_too()
    {
        var result = Parse(StandardHeader,
            Person(1, "张三", 430202900307123d),
            Person(2, "李四", 4302021990030712d),
            Person(3, "王五", 430202199003071248m));

        Assert.Equal([2, 3, 4], result.Issues.Where(i => i.Code == RosterIssueCode.DocumentLostPrecision).Select(i => i.RowNumber));
    }

    [Fact]
    public void An_exact_integer_cell_is_read_as_text()
    {
        // A CSV reader or a database export may hand over a long: every digit is still there.
        var result = Parse(StandardHeader, Person(1, "李四", 430202199003071248L));

        Assert.Equal(Li, Assert.Single(result.ValidRows).DocumentNumber);
    }

    // ---------- document numbers ----------

    [Theory]
    [InlineData("43020219900307123x")]
    [InlineData("４３０２０２１９９００３０７１２３Ｘ")]
    [InlineData(" 430202 19900307 123X ")]
    [InlineData("'43020219900307123X")]
    [InlineData("=\"43020219900307123X\"")]
    [InlineData("\t43020219900307123X")]
    public void Id_numbers_are_normalised(string input)
    {
        var row = Assert.Single(Parse(StandardHeader, Person(1, "张三", input)).ValidRows);

        Assert.Equal(Zhang, row.DocumentNumber);
        Assert.Equal(DocumentType.ResidentIdCard, row.DocumentType);
    }

    [Theory]
    [InlineData("430202199003071234", "WrongCheckDigit")]
    [InlineData("430202199002301232", "InvalidBirthDate")] // 30 February, with a matching check digit
    [InlineData("43020219900307123", "WrongLength")]       // a digit lost: not taken for a passport
    [InlineData("43020219900307123XX", "WrongLength")]
    public void Invalid_id_numbers_say_why(string input, string detail)
    {
        var issue = Single(Parse(StandardHeader, Person(1, "张三", input)), RosterIssueCode.DocumentInvalid);

        Assert.Equal(detail, issue.Detail);
        Assert.Equal(input, issue.Value);
    }

    [Fact]
    public void A_missing_document_number_is_DocumentMissing()
    {
        Single(Parse(StandardHeader, Person(1, "张三", null)), RosterIssueCode.DocumentMissing);
        Single(Parse(StandardHeader, Person(1, "张三", "  ")), RosterIssueCode.DocumentMissing);
    }

    [Theory]
    [InlineData("护照", "e12345678", DocumentType.Passport, "E12345678")]
    [InlineData("港澳通行证", "H12345678", DocumentType.HongKongMacaoPermit, "H12345678")]
    [InlineData("港澳居民来往内地通行证", "M1234567890", DocumentType.HongKongMacaoPermit, "M1234567890")]
    [InlineData("台胞证", "12345678", DocumentType.TaiwanPermit, "12345678")]
    [InlineData("台湾居民来往大陆通行证", "1234567890", DocumentType.TaiwanPermit, "1234567890")]
    [InlineData("永居证", "USA123456789012", DocumentType.ForeignPermanentResidentCard, "USA123456789012")]
    [InlineData("居民身份证", Zhang, DocumentType.ResidentIdCard, Zhang)]
    [InlineData("", "H12345678", DocumentType.HongKongMacaoPermit, "H12345678")]
    public void The_document_type_column_decides_how_a_number_is_checked(string type, string number, DocumentType expectedType, string expected)
    {
        var result = Parse(["姓名", "证件类型", "证件号码", "住址"], ["John Smith", type, number, "晏家湾小区"]);

        var row = Assert.Single(result.ValidRows);
        Assert.Equal(expectedType, row.DocumentType);
        Assert.Equal(expected, row.DocumentNumber);
    }

    [Fact]
    public void Without_a_type_column_the_number_shape_decides()
    {
        var result = Parse(["姓名", "证件号码", "住址"],
            ["陈大文", "H12345678", "晏家湾小区"],
            ["林美玲", "12345678", "晏家湾小区"],
            ["Anna Müller", "C01X00T47", "晏家湾小区"]);

        Assert.Equal(
            [DocumentType.HongKongMacaoPermit, DocumentType.TaiwanPermit, DocumentType.Passport],
            result.ValidRows.Select(r => r.DocumentType));
    }

    [Fact]
    public void An_unknown_document_type_is_reported_on_the_type_column()
    {
        var issue = Single(Parse(["姓名", "证件类型", "证件号码", "住址"], ["张三", "驾驶证", Zhang, "晏家湾小区"]),
            RosterIssueCode.DocumentInvalid);

        Assert.Equal("证件类型", issue.Column);
        Assert.Equal("UnknownDocumentType", issue.Detail);
        Assert.Equal("驾驶证", issue.Value);
    }

    [Fact]
    public void A_passport_number_of_the_wrong_shape_is_InvalidFormat()
    {
        var issue = Single(Parse(["姓名", "证件类型", "证件号码", "住址"], ["张三", "护照", "E12", "晏家湾小区"]),
            RosterIssueCode.DocumentInvalid);

        Assert.Equal("InvalidFormat", issue.Detail);
    }

    // ---------- names ----------

    [Theory]
    [InlineData("张 三 ", "张三")]
    [InlineData("　欧阳　娜娜　", "欧阳娜娜")]
    [InlineData("John  Smith", "John Smith")]
    [InlineData("阿依古丽 · 买买提", "阿依古丽·买买提")]
    [InlineData("阿依古丽・买买提", "阿依古丽·买买提")]
    [InlineData("阿依古丽.买买提", "阿依古丽·买买提")]
    [InlineData("ＬＩ Ｍｉｎｇ", "LI Ming")]
    [InlineData("王\n小明", "王小明")]
    public void Names_are_cleaned_spaces_between_chinese_characters_dropped(string input, string expected)
    {
        Assert.Equal(expected, Assert.Single(Parse(StandardHeader, Person(1, input, Zhang)).ValidRows).Name);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "ForbiddenCharacter")]
    [InlineData("张三'; DROP TABLE persons;--", "ForbiddenCharacter")]
    [InlineData("张三\u0007", "ControlCharacter")]
    [InlineData("12345", "NoLetters")]
    [InlineData("？？？", "NoLetters")]
    public void Suspicious_names_are_NameInvalid_with_the_reason(string input, string reason)
    {
        var issue = Single(Parse(StandardHeader, Person(1, input, Zhang)), RosterIssueCode.NameInvalid);

        Assert.Equal(reason, issue.Detail);
        Assert.Equal("姓名", issue.Column);
    }

    [Fact]
    public void Names_may_be_up_to_50_characters()
    {
        var fifty = "阿" + new string('a', 49);
        var result = Parse(StandardHeader, Person(1, fifty, Zhang), Person(2, fifty + "b", Li));

        Assert.Equal(fifty, Assert.Single(result.ValidRows).Name);
        var issue = Single(result, RosterIssueCode.NameInvalid);
        Assert.Equal("TooLong", issue.Detail);
        Assert.Equal(3, issue.RowNumber);
    }

    [Fact]
    public void Issue_values_are_truncated_to_60_characters()
    {
        var longName = "<" + new string('x', 200);

        var issue = Single(Parse(StandardHeader, Person(1, longName, Zhang)), RosterIssueCode.NameInvalid);

        Assert.Equal(60, issue.Value!.Length);
        Assert.StartsWith("<xxx", issue.Value, StringComparison.Ordinal);
    }

    // ---------- phones ----------

    [Theory]
    [InlineData("138 0013 8000", "13800138000")]
    [InlineData("138-0013-8000", "13800138000")]
    [InlineData("１３８００１３８０００", "13800138000")]
    [InlineData("0731-12345678", "073112345678")]
    [InlineData("", null)]
    public void Phones_are_normalised_and_optional(string input, string? expected)
    {
        Assert.Equal(expected, Assert.Single(Parse(StandardHeader, Person(1, "张三", Zhang, phone: input)).ValidRows).Phone);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("13800138000/13900139000")]
    [InlineData("无")]
    public void A_bad_phone_is_PhoneInvalid(string input)
    {
        var issue = Single(Parse(StandardHeader, Person(1, "张三", Zhang, phone: input)), RosterIssueCode.PhoneInvalid);
        Assert.Equal(input, issue.Value);
    }

    // ---------- addresses ----------

    [Fact]
    public void A_single_address_column_is_used_as_written()
    {
        var result = Parse(["姓名", "身份证号", "家庭住址"], ["张三", Zhang, "  晏家湾小区 3栋2单元301 "]);

        var row = Assert.Single(result.ValidRows);
        Assert.Equal("晏家湾小区 3栋2单元301", row.Address);
        Assert.Null(row.Compound);
        Assert.Null(row.Building);
    }

    [Fact]
    public void An_address_column_beside_the_parts_keeps_both()
    {
        var result = Parse(["姓名", "身份证号", "小区", "楼栋", "住址"], ["张三", Zhang, "晏家湾小区", "3号楼", "晏家湾3号楼"]);

        var row = Assert.Single(result.ValidRows);
        Assert.Equal("晏家湾3号楼", row.Address);
        Assert.Equal("晏家湾小区", row.Compound);
        Assert.Equal("3号楼", row.Building);
    }

    [Fact]
    public void Parts_compose_the_address_when_the_address_cell_is_empty()
    {
        var row = Assert.Single(Parse(["姓名", "身份证号", "自然村", "门牌", "住址"], ["张三", Zhang, "李家湾组", 12d, null]).ValidRows);

        Assert.Equal("李家湾组12室", row.Address);
    }

    [Fact]
    public void A_row_without_any_address_is_AddressMissing()
    {
        var result = Parse(["姓名", "身份证号", "小区", "楼栋"], ["张三", Zhang, "", null]);

        var issue = Single(result, RosterIssueCode.AddressMissing);
        Assert.Equal("小区", issue.Column);
    }

    [Fact]
    public void Merged_cells_repeated_by_the_reader_give_every_row_its_compound()
    {
        // 小区 and 楼栋 merged down over a household; the reader filled the value into every row of the merge,
        // including two trailing rows nobody was entered in.
        var result = Parse(StandardHeader,
            Person(1, "张三", Zhang, relation: "户主"),
            Person(2, "李四", Li, relation: "配偶"),
            Person(3, "张小明", IdCardNumber.FromFirst17("43020220150601001").Value, relation: "儿子"),
            [null, null, null, null, null, "晏家湾小区", 3d, 2d, null, null],
            [null, null, null, null, null, "晏家湾小区", 3d, 2d, null, null]);

        Assert.Empty(result.Issues);
        Assert.Equal(3, result.DataRowCount);
        Assert.All(result.ValidRows, r => Assert.Equal("晏家湾小区3栋2单元301室", r.Address));
        Assert.Equal([RelationToHead.Head, RelationToHead.Spouse, RelationToHead.Child], result.ValidRows.Select(r => r.RelationToHead));
    }

    // ---------- choices ----------

    [Theory]
    [InlineData("户主", RelationToHead.Head)]
    [InlineData("本人", RelationToHead.Head)]
    [InlineData("妻", RelationToHead.Spouse)]
    [InlineData("丈夫", RelationToHead.Spouse)]
    [InlineData("长女", RelationToHead.Child)]
    [InlineData("母亲", RelationToHead.Parent)]
    [InlineData("外孙女", RelationToHead.Grandchild)]
    [InlineData("外祖母", RelationToHead.Grandparent)]
    [InlineData("妹 妹", RelationToHead.Sibling)]
    [InlineData("女婿", RelationToHead.ChildInLaw)]
    [InlineData("租客", RelationToHead.Tenant)]
    [InlineData("其他亲属", RelationToHead.OtherRelative)]
    [InlineData("其它", RelationToHead.Other)]
    [InlineData("", RelationToHead.Other)]
    public void Relations_to_the_head(string text, RelationToHead expected)
    {
        Assert.Equal(expected, Assert.Single(Parse(StandardHeader, Person(1, "张三", Zhang, relation: text)).ValidRows).RelationToHead);
    }

    [Fact]
    public void An_unknown_relation_is_RelationUnknown()
    {
        var issue = Single(Parse(StandardHeader, Person(1, "张三", Zhang, relation: "表哥")), RosterIssueCode.RelationUnknown);
        Assert.Equal("表哥", issue.Value);
        Assert.Equal("与户主关系", issue.Column);
    }

    [Theory]
    [InlineData("户籍", ResidenceType.Registered)]
    [InlineData("户籍人口", ResidenceType.Registered)]
    [InlineData("常住", ResidenceType.Resident)]
    [InlineData("暂住人口", ResidenceType.Temporary)]
    [InlineData("租住", ResidenceType.Temporary)]
    [InlineData("流动人口", ResidenceType.Floating)]
    [InlineData("", ResidenceType.Registered)]
    public void Residence_types(string text, ResidenceType expected)
    {
        var result = Parse(["姓名", "身份证号", "住址", "居住类型"], ["张三", Zhang, "晏家湾小区", text]);
        Assert.Equal(expected, Assert.Single(result.ValidRows).ResidenceType);
    }

    [Fact]
    public void An_unknown_residence_type_is_ResidenceTypeUnknown()
    {
        Single(Parse(["姓名", "身份证号", "住址", "户籍类型"], ["张三", Zhang, "晏家湾小区", "外籍"]), RosterIssueCode.ResidenceTypeUnknown);
    }

    [Theory]
    [InlineData("独居老人", VulnerabilityTags.ElderlyLivingAlone)]
    [InlineData("独居、残疾人，长期卧床", VulnerabilityTags.ElderlyLivingAlone | VulnerabilityTags.Disabled | VulnerabilityTags.Bedridden)]
    [InlineData("孕妇;婴幼儿；慢病/行动不便 血透", VulnerabilityTags.PregnantOrPostpartum | VulnerabilityTags.InfantOrToddler
        | VulnerabilityTags.ChronicIllness | VulnerabilityTags.LimitedMobility | VulnerabilityTags.Dialysis)]
    [InlineData("低保户,特困", VulnerabilityTags.LowIncome)]
    [InlineData("无", VulnerabilityTags.None)]
    [InlineData("", VulnerabilityTags.None)]
    public void Tags_are_split_on_any_separator(string text, VulnerabilityTags expected)
    {
        var result = Parse(["姓名", "身份证号", "住址", "特殊人群"], ["张三", Zhang, "晏家湾小区", text]);
        Assert.Equal(expected, Assert.Single(result.ValidRows).Tags);
    }

    [Fact]
    public void Each_unknown_tag_is_named()
    {
        var result = Parse(["姓名", "身份证号", "住址", "重点人群"], ["张三", Zhang, "晏家湾小区", "独居，退役军人、党员"]);

        Assert.Equal(["退役军人", "党员"], result.Issues.Where(i => i.Code == RosterIssueCode.TagUnknown).Select(i => i.Value));
        Assert.Equal("重点人群", result.Issues[0].Column);
    }

    [Theory]
    [InlineData(3d, 3)]
    [InlineData(0d, 0)]
    [InlineData(5, 5)]
    [InlineData("3", 3)]
    [InlineData("3针", 3)]
    [InlineData("三针", 3)]
    [InlineData("两剂", 2)]
    [InlineData("已接种3剂", 3)]
    [InlineData("未接种", 0)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    public void Vaccination_doses_as_numbers_or_words(object? cell, int expected)
    {
        var result = Parse(["姓名", "身份证号", "住址", "疫苗接种剂次"], ["张三", Zhang, "晏家湾小区", cell]);
        Assert.Equal(expected, Assert.Single(result.ValidRows).VaccinationDoses);
    }

    [Theory]
    [InlineData(6d)]
    [InlineData(2.5d)]
    [InlineData(-1d)]
    [InlineData("六针")]
    [InlineData("打过")]
    [InlineData("3/4")]
    public void Impossible_dose_counts_are_VaccinationInvalid(object cell)
    {
        Single(Parse(["姓名", "身份证号", "住址", "接种针次"], ["张三", Zhang, "晏家湾小区", cell]), RosterIssueCode.VaccinationInvalid);
    }

    // ---------- rows that are not people ----------

    [Fact]
    public void Blank_rows_are_skipped_silently_and_row_numbers_stay_true()
    {
        var result = Parse(StandardHeader,
            Person(1, "张三", Zhang),
            [],
            [null, "", "  ", null],
            [null, null, null, null, null, null, null, null, null, null],
            Person(2, "李四", "bad"));

        Assert.Equal(2, result.DataRowCount);
        Assert.Equal(2, Assert.Single(result.ValidRows).RowNumber);
        Assert.Equal(6, Single(result, RosterIssueCode.DocumentInvalid).RowNumber);
    }

    [Fact]
    public void Pre_numbered_empty_template_rows_are_skipped()
    {
        var result = Parse(StandardHeader,
            Person(1, "张三", Zhang),
            [2d, null, null, null, null, null, null, null, null, null],
            [3d, null, "", null, null, null, null, null, null, null]);

        Assert.Empty(result.Issues);
        Assert.Equal(1, result.DataRowCount);
    }

    [Fact]
    public void Footers_banners_and_a_repeated_header_are_skipped()
    {
        var result = Parse(StandardHeader,
            Person(1, "张三", Zhang),
            ["二、3栋", "二、3栋", "二、3栋", "二、3栋", "二、3栋", "二、3栋", "二、3栋", "二、3栋", "二、3栋", "二、3栋"],
            StandardHeader,
            Person(2, "李四", Li),
            ["合计：2人"],
            [null, "填表人：王五  联系电话：13800138000"],
            ["说明：身份证号请以文本格式填写"]);

        Assert.Empty(result.Issues);
        Assert.Equal(2, result.DataRowCount);
        Assert.Equal([2, 5], result.ValidRows.Select(r => r.RowNumber));
    }

    [Fact]
    public void A_row_with_only_a_name_is_not_skipped()
    {
        var result = Parse(StandardHeader, [null, "张三"]);

        Single(result, RosterIssueCode.DocumentMissing);
        Assert.Equal(1, result.DataRowCount);
    }

    // ---------- duplicates ----------

    [Fact]
    public void A_row_pasted_twice_is_a_warning_and_kept_once()
    {
        var result = Parse(StandardHeader,
            Person(1, "张三", Zhang, phone: "13800138000"),
            Person(2, "李四", Li),
            Person(3, "张 三", "43020219900307123x", phone: 13800138000d));

        var issue = Single(result, RosterIssueCode.DuplicateRow);
        Assert.True(issue.IsWarning);
        Assert.Equal(4, issue.RowNumber);
        Assert.Equal("2", issue.Detail);
        Assert.Equal(Zhang, issue.Value);
        Assert.False(result.HasErrors);
        Assert.Empty(result.BadRowNumbers);
        Assert.Equal([2, 3], result.ValidRows.Select(r => r.RowNumber));
        Assert.Equal(3, result.DataRowCount);
    }

    [Fact]
    public void The_same_number_with_different_content_is_a_conflict_on_the_later_row()
    {
        var result = Parse(StandardHeader,
            Person(1, "张三", Zhang),
            Person(2, "张山", Zhang));

        var issue = Single(result, RosterIssueCode.ConflictingDuplicate);
        Assert.False(issue.IsWarning);
        Assert.Equal(3, issue.RowNumber);
        Assert.Equal("2", issue.Detail);
        Assert.Equal(2, Assert.Single(result.ValidRows).RowNumber);
        Assert.Equal([3], result.BadRowNumbers);
    }

    // ---------- odd cell types ----------

    [Fact]
    public void Dates_booleans_and_integers_in_text_columns_do_not_break_the_row()
    {
        var result = Parse(
            ["姓名", "身份证号", "小区", "门牌号", "备注"],
            ["张三", Zhang, "晏家湾小区", 301, new DateTime(2022, 4, 1)],
            ["李四", Li, "晏家湾小区", 302L, true]);

        Assert.Equal(["2022-04-01", "TRUE"], result.ValidRows.Select(r => r.Notes));
        Assert.Equal(["301", "302"], result.ValidRows.Select(r => r.DoorNumber));
    }
}
