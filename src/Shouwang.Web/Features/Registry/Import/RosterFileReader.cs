using System.Text;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Shouwang.Web.Features.Registry.Import;

public enum RosterFileError { None, Empty, TooLarge, NotASpreadsheet, LegacyXls, Unreadable }

/// <summary>
/// Reads an uploaded roster (xlsx or CSV) into the raw rows that <c>RosterParser.Parse</c> takes: row i is spreadsheet
/// row i + 1, cells keep the types the reader gives them (string, double, DateTime, bool, null).
/// The format comes from the bytes, never from the file name.
/// </summary>
public static class RosterFileReader
{
    public const long MaxBytes = 20 * 1024 * 1024;
    /// <summary>A whole street (about 100k people) fits twice; a zip that inflates to millions of rows does not.</summary>
    public const int MaxRows = 200_000;
    private const int SniffBytes = 8 * 1024;

    private static readonly IReadOnlyList<object?> EmptyRow = [];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Encoding Gb18030 = LoadGb18030();

    /// <summary>
    /// Reads synchronously: pass a buffered stream (IFormFile.OpenReadStream, a MemoryStream), not a raw request body.
    /// </summary>
    public static RosterFileError TryRead(Stream stream, out IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        rows = [];
        if (stream.CanSeek && stream.Length - stream.Position > MaxBytes) return RosterFileError.TooLarge;

        byte[] bytes;
        try
        {
            if (!TryReadAll(stream, out bytes)) return RosterFileError.TooLarge;
        }
        catch (IOException)
        {
            return RosterFileError.Unreadable;
        }
        if (bytes.Length == 0) return RosterFileError.Empty;

        var format = Sniff(bytes);
        if (format == Format.Xls) return RosterFileError.LegacyXls;
        if (format == Format.Other) return RosterFileError.NotASpreadsheet;
        try
        {
            List<IReadOnlyList<object?>>? read;
            if (format == Format.Xlsx) read = ReadXlsx(bytes);
            else if (DecodeText(bytes) is { } text) read = CsvTokenizer.Read(text);
            else return RosterFileError.NotASpreadsheet;
            if (read is null) return RosterFileError.TooLarge;
            rows = read;
            return RosterFileError.None;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Truncated zips, missing parts, malformed XML: whatever a corrupt file throws.
            rows = [];
            return RosterFileError.Unreadable;
        }
    }

    private enum Format { Xlsx, Xls, Text, Other }

    private static Format Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04])) return Format.Xlsx; // PK\x03\x04: a zip
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0])) return Format.Xls;
        // UTF-16 ("Unicode text" from Excel) is the one text encoding with NULs; its BOM says so.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Format.Text;
        return bytes[..Math.Min(bytes.Length, SniffBytes)].Contains((byte)0) ? Format.Other : Format.Text;
    }

    private static bool TryReadAll(Stream stream, out byte[] bytes)
    {
        bytes = [];
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            // Uploads may not be seekable; count what actually arrives.
            if (buffer.Length + read > MaxBytes) return false;
            buffer.Write(chunk, 0, read);
        }
        bytes = buffer.ToArray();
        return true;
    }

    private static List<IReadOnlyList<object?>>? ReadXlsx(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var configuration = new OpenXmlConfiguration { FillMergedCells = true };
        var rows = new List<IReadOnlyList<object?>>();
        var filled = 0;
        foreach (var row in stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX, configuration: configuration))
        {
            // MiniExcel keys cells by column letters (A, B, … AA); turn them into positions.
            var cells = (IDictionary<string, object?>)row;
            var width = 0;
            foreach (var (key, value) in cells)
            {
                if (!IsBlank(value)) width = Math.Max(width, ColumnIndex(key) + 1);
            }
            if (width == 0)
            {
                rows.Add(EmptyRow);
                continue;
            }
            if (++filled > MaxRows) return null;
            var list = new object?[width];
            foreach (var (key, value) in cells)
            {
                var index = ColumnIndex(key);
                if (index < width) list[index] = value;
            }
            rows.Add(list);
        }
        TrimTrailingEmptyRows(rows);
        return rows;
    }

    private static bool IsBlank(object? value) => value is null || (value is string s && string.IsNullOrWhiteSpace(s));

    private static int ColumnIndex(string letters)
    {
        var index = 0;
        foreach (var c in letters) index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        return index - 1;
    }

    private static void TrimTrailingEmptyRows(List<IReadOnlyList<object?>> rows)
    {
        var last = rows.Count;
        while (last > 0 && rows[last - 1].All(IsBlank)) last--;
        rows.RemoveRange(last, rows.Count - last);
    }

    /// <summary>UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (what Chinese Excel saves as "CSV"); null for binary.</summary>
    private static string? DecodeText(byte[] bytes)
    {
        string text;
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        else if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) text = Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        else if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) text = Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        else
        {
            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                text = Gb18030.GetString(bytes);
            }
        }
        // Any byte sequence decodes as GB18030, so also refuse text with control characters a table never has.
        var sample = text.AsSpan(0, Math.Min(text.Length, SniffBytes));
        foreach (var c in sample)
        {
            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n' or '\f' or '\x1A')) return null;
        }
        return text;
    }

    private static Encoding LoadGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    /// <summary>
    /// RFC 4180 fields: quotes, doubled quotes, separators and line breaks inside quotes. Written here rather than
    /// using MiniExcel's CSV reader because that one drops blank lines (shifting every later row number the user is
    /// told about) and throws on a row shorter than the first.
    /// </summary>
    internal static class CsvTokenizer
    {
        public static List<IReadOnlyList<object?>>? Read(string text)
        {
            var separator = GuessSeparator(text);
            var rows = new List<IReadOnlyList<object?>>();
            var row = new List<object?>();
            var field = new StringBuilder();
            var quoted = false;
            var fieldStarted = false;
            var filled = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c != '"') field.Append(c);
                    else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                    continue;
                }
                if (c == '"' && !fieldStarted)
                {
                    quoted = true;
                    fieldStarted = true;
                }
                else if (c == separator)
                {
                    EndField();
                }
                else if (c is '\r' or '\n')
                {
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    EndRow();
                    if (filled > MaxRows) return null;
                }
                else
                {
                    field.Append(c);
                    fieldStarted = true;
                }
            }
            if (fieldStarted || field.Length > 0 || row.Count > 0) EndRow();
            TrimTrailingEmptyRows(rows);
            return rows;

            void EndField()
            {
                row.Add(field.Length == 0 ? null : field.ToString());
                field.Clear();
                fieldStarted = false;
            }

            void EndRow()
            {
                EndField();
                var blank = row.All(IsBlank);
                rows.Add(blank ? EmptyRow : row);
                if (!blank) filled++;
                row = [];
            }
        }

        // Chinese Excel writes commas; tab- and semicolon-separated exports exist too.
        private static char GuessSeparator(string text)
        {
            var sample = text.AsSpan(0, Math.Min(text.Length, SniffBytes));
            var commas = sample.Count(',');
            var tabs = sample.Count('\t');
            var semicolons = sample.Count(';');
            return tabs > commas && tabs >= semicolons ? '\t' : semicolons > commas ? ';' : ',';
        }
    }
}
