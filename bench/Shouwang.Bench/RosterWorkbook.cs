using MiniExcelLibs;
using Shouwang.Domain.People;
using Shouwang.Web.Features.Demo;

namespace Shouwang.Bench;

/// <summary>
/// A committee's household roster as clerks send it: one row per person, households of 1–5 rows sharing an address
/// (小区/楼栋/单元/门牌号), valid GB 11643 ID numbers (unique, and issued outside Hunan so none is already in the demo).
/// </summary>
public static class RosterWorkbook
{
    private static readonly string[] Compounds = ["幸福小区", "阳光花园", "锦绣家园", "滨江新村", "明珠苑", "东方公寓", "翠竹小区", "书香花园"];
    // Issuing areas outside the demo generator's list, so the import creates people instead of moving existing ones.
    private static readonly string[] Areas = ["110101", "310104", "440106", "510107", "420102", "320102", "330106", "370102"];
    private static readonly string[] MobilePrefixes = ["138", "139", "150", "158", "186", "189", "177", "199", "135", "152"];
    private static readonly string[] Residence = ["户籍", "常住", "暂住", "流动"];

    public sealed record Result(byte[] Bytes, int Rows, int Households);

    public static Result Build(int rows, int seed, DateOnly today)
    {
        var random = new Random(seed);
        var documents = new HashSet<string>(rows);
        var sheet = new List<Dictionary<string, object>>(rows);
        var households = 0;
        foreach (var (compound, building, unit, door) in Addresses())
        {
            if (sheet.Count >= rows) break;
            households++;
            var size = Math.Min(rows - sheet.Count, Pick(random, [15, 28, 25, 18, 14]) + 1);
            var residence = Residence[Pick(random, [70, 15, 10, 5])];
            var headMale = random.NextDouble() < 0.72;
            var headAge = size == 1 ? random.Next(22, 92) : random.Next(25, 80);
            var surname = ChineseNames.Surname(random);
            for (var m = 0; m < size; m++)
            {
                var (relation, male, age) = m switch
                {
                    0 => ("户主", headMale, headAge),
                    1 => ("配偶", !headMale, Math.Max(20, headAge + random.Next(-5, 6))),
                    4 when headAge + 30 < 100 => (headMale ? "父亲" : "母亲", headMale, headAge + random.Next(22, 31)),
                    _ => ChildOf(random, headAge),
                };
                var name = relation is "配偶" ? ChineseNames.FullName(random, male) : ChineseNames.FullName(random, male, surname);
                var tags = new List<string>();
                if (size == 1 && age >= 70) tags.Add("独居老人");
                if (age < 3) tags.Add("婴幼儿");
                if (age >= 60 && random.NextDouble() < 0.15) tags.Add("慢性病");
                if (random.NextDouble() < 0.025) tags.Add("残疾");
                sheet.Add(new Dictionary<string, object>
                {
                    ["姓名"] = name,
                    ["身份证号"] = Document(random, documents, male, age, today),
                    ["联系电话"] = age is >= 16 and <= 82 && random.NextDouble() < 0.93
                        ? MobilePrefixes[random.Next(MobilePrefixes.Length)] + random.Next(0, 100_000_000).ToString("00000000") : "",
                    ["小区"] = compound,
                    ["楼栋"] = $"{building}栋",
                    ["单元"] = $"{unit}",
                    ["门牌号"] = door,
                    ["与户主关系"] = relation,
                    ["人员类型"] = residence,
                    ["标签"] = string.Join("、", tags),
                });
            }
        }
        if (sheet.Count < rows) throw new InvalidOperationException($"only {sheet.Count} rows fit the generated addresses");
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, sheet, sheetName: "花名册");
        return new Result(stream.ToArray(), sheet.Count, households);
    }

    private static (string Relation, bool Male, int Age) ChildOf(Random random, int headAge)
    {
        var male = random.NextDouble() < 0.52;
        var age = headAge - random.Next(22, 36);
        return (male ? "子" : "女", male, age < 0 ? random.Next(0, 4) : age);
    }

    private static IEnumerable<(string Compound, int Building, int Unit, string Door)> Addresses()
    {
        // 8 compounds × 30 buildings × 3 units × 18 floors × 4 doors = 51,840 addresses.
        foreach (var compound in Compounds)
        for (var building = 1; building <= 30; building++)
        for (var unit = 1; unit <= 3; unit++)
        for (var floor = 1; floor <= 18; floor++)
        for (var door = 1; door <= 4; door++)
            yield return (compound, building, unit, $"{floor}{door:00}");
    }

    private static string Document(Random random, HashSet<string> taken, bool male, int age, DateOnly today)
    {
        var birth = today.AddYears(-age).AddDays(-random.Next(0, 365));
        while (true)
        {
            var sequence = (random.Next(0, 500) * 2) + (male ? 1 : 0);
            var number = IdCardNumber.FromFirst17($"{Areas[random.Next(Areas.Length)]}{birth:yyyyMMdd}{sequence:000}").Value;
            if (taken.Add(number)) return number;
        }
    }

    private static int Pick(Random random, int[] weights)
    {
        var roll = random.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            if (roll < weights[i]) return i;
            roll -= weights[i];
        }
        return weights.Length - 1;
    }
}
