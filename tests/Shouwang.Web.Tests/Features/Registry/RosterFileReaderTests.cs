using System.IO.Compression;
using System.Text;
using MiniExcelLibs;
using Shouwang.Domain.Registry.Roster;
using Shouwang.Web.Features.Registry.Import;

namespace Shouwang.Web.Tests.Features.Registry;

public class RosterFileReaderTests
{
    private const string Zhang = "43020219900307123X";
    private const string Li = "430202199003071248";

    private static readonly Encoding Gb18030 = LoadGb18030();

    // ---------- xlsx ----------

    [Fact]
    public void Reads_the_first_sheet_of_an_xlsx_keeping_cell_types_and_row_positions()
    {
        var bytes = Xlsx(
            ["金山街道晏家湾社区居民花名册", null, null, null, null],
            [null, null, null, null, null],
            ["姓名", "身份证号", "联系电话", "登记日期", "独居"],
            ["张三", Zhang, 13800138000d, new DateTime(2022, 4, 1), true]);

        var error = RosterFileReader.TryRead(new MemoryStream(bytes), out var rows);

        Assert.Equal(RosterFileError.None, error);
        Assert.Equal(4, rows.Count);
        Assert.Equal("金山街道晏家湾社区居民花名册", rows[0][0]);
        Assert.Empty(rows[1]);
        Assert.Equal<object?>(["姓名", "身份证号", "联系电话", "登记日期", "独居"], rows[2]);
        Assert.Equal("张三", rows[3][0]);
        Assert.Equal(Zhang, rows[3][1]);
        Assert.Equal(13800138000d, Assert.IsType<double>(rows[3][2]));
        Assert.Equal(new DateTime(2022, 4, 1), Assert.IsType<DateTime>(rows[3][3]));
        Assert.True(Assert.IsType<bool>(rows[3][4]));
    }

    [Fact]
    public void An_id_number_typed_into_a_number_cell_comes_back_as_a_double()
    {
        var bytes = Xlsx(["姓名", "身份证号"], ["张三", 430202199003071234d]);

        RosterFileReader.TryRead(new MemoryStream(bytes), out var rows);

        Assert.IsType<double>(rows[1][1]);
    }

    [Fact]
    public void Merged_cells_repeat_their_value_in_every_row_they_cover()
    {
        // MiniExcel does not write merges, so add one to the sheet XML: 小区 (C2:C4) merged over a household.
        var bytes = WithMergedCells(
            Xlsx(
                ["姓名", "身份证号", "小区"],
                ["张三", Zhang, "晏家湾小区"],
                ["李四", Li, null],
                ["张小明", "430202201506010017", null]),
            "C2:C4");

        Assert.Equal(RosterFileError.None, RosterFileReader.TryRead(new MemoryStream(bytes), out var rows));

        Assert.Equal<object?>(["晏家湾小区", "晏家湾小区", "晏家湾小区"], rows.Skip(1).Select(r => r[2]));
    }

    [Fact]
    public void An_xlsx_read_from_a_non_seekable_stream_works()
    {
        var bytes = Xlsx(["姓名", "身份证号"], ["张三", Zhang]);

        Assert.Equal(RosterFileError.None, RosterFileReader.TryRead(new ForwardOnlyStream(bytes), out var rows));
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public void Trailing_empty_rows_and_cells_are_dropped()
    {
        var bytes = Xlsx(
            ["姓名", "身份证号", null, null],
            ["张三", Zhang, null, null],
            [null, null, null, null],
            [null, null, null, null]);

        RosterFileReader.TryRead(new MemoryStream(bytes), out var rows);

        Assert.Equal(2, rows.Count);
        Assert.Equal(2, rows[0].Count);
    }

    [Fact]
    public void The_rows_of_a_real_roster_go_through_the_parser()
    {
        var bytes = WithMergedCells(
            Xlsx(
                ["晏家湾社区居民花名册（2022年4月）", null, null, null, null, null],
                [null, null, null, null, null, null],
                ["序号", "*姓名", "身份证号码", "联系电话", "小区（自然村）", "楼栋"],
                [1d, "张 三", "43020219900307123x", 13800138000d, "晏家湾小区", 3d],
                [2d, "李四", 4.30202199003071E+17, null, null, 3d],
                [null, null, null, null, null, null],
                [3d, "王五", "430202198511200021", "0731-12345678", null, 3d],
                ["合计：3人", null, null, null, null, null]),
            "E4:E7");

        Assert.Equal(RosterFileError.None, RosterFileReader.TryRead(new MemoryStream(bytes), out var rows));
        var result = RosterParser.Parse(rows);

        Assert.Equal(3, result.HeaderRowNumber);
        Assert.Equal(3, result.DataRowCount);
        Assert.Equal(["张三", "王五"], result.ValidRows.Select(r => r.Name));
        Assert.All(result.ValidRows, r => Assert.Equal("晏家湾小区3栋", r.Address));
        Assert.Equal("13800138000", result.ValidRows[0].Phone);
        var issue = Assert.Single(result.Issues);
        Assert.Equal((5, RosterIssueCode.DocumentLostPrecision), (issue.RowNumber, issue.Code));
    }

    // ---------- CSV ----------

    [Fact]
    public void Reads_a_GB18030_csv_as_chinese_excel_saves_it()
    {
        var csv = "晏家湾社区花名册,,,\r\n" +
                  "姓名,身份证号,联系电话,住址\r\n" +
                  "张三,43020219900307123X,13800138000,\"晏家湾小区3栋,2单元\"\r\n" +
                  "\r\n" +
                  "李四,430202199003071248\r\n";
        var bytes = Gb18030.GetBytes(csv);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes));

        var error = RosterFileReader.TryRead(new MemoryStream(bytes), out var rows);

        Assert.Equal(RosterFileError.None, error);
        Assert.Equal(5, rows.Count);
        Assert.Equal("晏家湾社区花名册", rows[0][0]);
        Assert.Equal<object?>(["姓名", "身份证号", "联系电话", "住址"], rows[1]);
        Assert.Equal("晏家湾小区3栋,2单元", rows[2][3]);
        Assert.Empty(rows[3]); // the blank line keeps its place, so row numbers match what the user sees
        Assert.Equal<object?>(["李四", "430202199003071248"], rows[4]);
    }

    [Fact]
    public void Reads_a_utf8_csv_with_a_bom()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("姓名,身份证号\n张三,43020219900307123X\n")).ToArray();

        Assert.Equal(RosterFileError.None, RosterFileReader.TryRead(new MemoryStream(bytes), out var rows));

        Assert.Equal("姓名", rows[0][0]); // no BOM glued to the first header
        Assert.Equal(Zhang, rows[1][1]);
    }

    [Fact]
    public void Reads_a_utf8_csv_without_a_bom_with_quotes_and_line_breaks_in_fields()
    {
        var csv = "姓名,备注,住址\r\n\"阿依古丽·买买提\",\"说\"\"已搬走\"\"\",\"晏家湾小区\n3栋\"\r\n王五,,";

        Assert.Equal(RosterFileError.None, RosterFileReader.TryRead(new MemoryStream(Encoding.UTF8.GetBytes(csv)), out var rows));

        Assert.Equal(3, rows.Count);
        Assert.Equal<object?>(["阿依古丽·买买提", "说\"已搬走\"", "晏家湾小区\n3栋"], rows[1]);
        Assert.Equal<object?>(["王五", null, null], rows[2]);
    }

    [Fact]
    public void Reads_tab_separated_unicode_text_from_excel()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("姓名\t身份证号\r\n张三\t43020219900307123X\r\n")).ToArray();

        Assert.Equal(RosterFileError.None, RosterFileReader.TryRead(new MemoryStream(bytes), out var rows));

        Assert.Equal<object?>(["张三", Zhang], rows[1]);
    }

    // ---------- what is not a roster ----------

    [Fact]
    public void An_empty_stream_is_Empty()
    {
        Assert.Equal(RosterFileError.Empty, RosterFileReader.TryRead(new MemoryStream(), out var rows));
        Assert.Empty(rows);
    }

    [Fact]
    public void A_legacy_xls_is_recognised_by_its_signature()
    {
        byte[] bytes = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];

        Assert.Equal(RosterFileError.LegacyXls, RosterFileReader.TryRead(new MemoryStream(bytes), out _));
    }

    [Fact]
    public void A_png_is_NotASpreadsheet_whatever_its_name()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00];

        Assert.Equal(RosterFileError.NotASpreadsheet, RosterFileReader.TryRead(new MemoryStream(png), out _));
    }

    [Fact]
    public void Binary_without_NUL_bytes_is_still_NotASpreadsheet()
    {
        var bytes = Enumerable.Range(1, 255).Select(i => (byte)i).ToArray();

        Assert.Equal(RosterFileError.NotASpreadsheet, RosterFileReader.TryRead(new MemoryStream(bytes), out _));
    }

    [Fact]
    public void A_truncated_xlsx_is_Unreadable()
    {
        var bytes = Xlsx(["姓名", "身份证号"], ["张三", Zhang]);

        Assert.Equal(RosterFileError.Unreadable, RosterFileReader.TryRead(new MemoryStream(bytes[..(bytes.Length / 2)]), out var rows));
        Assert.Empty(rows);
    }

    [Fact]
    public void A_zip_that_is_not_a_workbook_is_Unreadable()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry("word/document.xml").Open());
            writer.Write("<document/>");
        }

        Assert.Equal(RosterFileError.Unreadable, RosterFileReader.TryRead(new MemoryStream(zip.ToArray()), out _));
    }

    [Fact]
    public void A_seekable_stream_over_the_limit_is_TooLarge_without_being_read()
    {
        var stream = new ZeroStream(RosterFileReader.MaxBytes + 1, seekable: true);

        Assert.Equal(RosterFileError.TooLarge, RosterFileReader.TryRead(stream, out var rows));
        Assert.Equal(0, stream.BytesRead);
        Assert.Empty(rows);
    }

    [Fact]
    public void A_non_seekable_stream_over_the_limit_is_TooLarge()
    {
        // The only test that makes the reader buffer the full 20 MB.
        var stream = new ZeroStream(RosterFileReader.MaxBytes + 1, seekable: false);

        Assert.Equal(RosterFileError.TooLarge, RosterFileReader.TryRead(stream, out _));
        Assert.True(stream.BytesRead <= RosterFileReader.MaxBytes + 81920);
    }

    [Fact]
    public void More_rows_than_MaxRows_is_TooLarge()
    {
        var csv = new StringBuilder("姓名,身份证号\n");
        for (var i = 0; i < RosterFileReader.MaxRows; i++) csv.Append("张三,1\n");

        Assert.Equal(RosterFileError.TooLarge, RosterFileReader.TryRead(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), out var rows));
        Assert.Empty(rows);
    }

    // ---------- helpers ----------

    private static byte[] Xlsx(params object?[][] rows)
    {
        var width = rows.Max(r => r.Length);
        var sheet = rows.Select(r => Enumerable.Range(0, width).ToDictionary(ColumnName, i => i < r.Length ? r[i] : null)).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, printHeader: false);
        return stream.ToArray();
    }

    private static string ColumnName(int index) => index < 26 ? ((char)('A' + index)).ToString() : ColumnName((index / 26) - 1) + (char)('A' + (index % 26));

    private static byte[] WithMergedCells(byte[] xlsx, string range)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry("xl/worksheets/sheet1.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open())) xml = reader.ReadToEnd();
            entry.Delete();
            Assert.Contains("</x:sheetData>", xml, StringComparison.Ordinal);
            xml = xml.Replace("</x:sheetData>", $"</x:sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"{range}\"/></x:mergeCells>", StringComparison.Ordinal);
            using var writer = new StreamWriter(archive.CreateEntry("xl/worksheets/sheet1.xml").Open());
            writer.Write(xml);
        }
        return stream.ToArray();
    }

    private static Encoding LoadGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    /// <summary>An upload body: readable once, no length.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A long run of zero bytes that costs no memory to hold.</summary>
    private sealed class ZeroStream(long length, bool seekable) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => seekable;
        public override bool CanWrite => false;
        public override long Length => seekable ? length : throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            Array.Clear(buffer, offset, n);
            BytesRead += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
