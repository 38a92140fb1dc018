using System.Net.Http.Json;
using System.Text.Json;

namespace Shouwang.Bench;

/// <summary>
/// The resident searches a committee clerk types, built from people who are really in the database: a few pages of the
/// street's list give names and addresses, their detail pages give whole ID numbers and phones.
/// </summary>
public static class SearchMix
{
    // Kind, weight (per 100). Names dominate; numbers and address words make up the rest.
    private static readonly (string Kind, int Weight)[] Kinds =
    [
        ("surname", 15), ("full-name", 15), ("given-name", 10),
        ("id-last4", 10), ("id-last6", 10), ("id-full", 10), ("phone", 10),
        ("addr-word", 10), ("compound", 10),
    ];

    private static readonly string[] CommonSurnames = ["王", "李", "张", "刘", "陈", "杨", "黄"];
    private static readonly string[] AddressWords = ["小区", "花园", "家园", "新村"];

    public sealed record Pools(
        List<string> Surnames, List<string> FullNames, List<string> GivenNames, List<string> Documents, List<string> Phones, List<string> Compounds)
    {
        public override string ToString() =>
            $"{Surnames.Count} surnames, {FullNames.Count} full names, {GivenNames.Count} given names, {Documents.Count} ID numbers, {Phones.Count} phones, {Compounds.Count} compounds";
    }

    /// <summary>Reads sample people of <paramref name="street"/> (not timed).</summary>
    public static async Task<Pools> SampleAsync(HttpClient client, string street)
    {
        var first = await Http.GetJsonAsync(client, $"/api/v1/persons?jurisdiction={street}&pageSize=200&page=1");
        var total = first.GetProperty("total").GetInt32();
        if (total == 0) throw new InvalidOperationException($"nobody under {street} to build the search mix from");
        var pages = (total + 199) / 200;
        var items = new List<JsonElement>();
        foreach (var page in Enumerable.Range(0, 8).Select(i => 1 + (i * (pages - 1) / 7)).Distinct())
        {
            var json = page == 1 ? first : await Http.GetJsonAsync(client, $"/api/v1/persons?jurisdiction={street}&pageSize=200&page={page}");
            items.AddRange(json.GetProperty("items").EnumerateArray());
        }

        var names = items.Select(i => i.GetProperty("name").GetString()!).Distinct().ToList();
        var surnames = CommonSurnames.Concat(names.Select(n => n[..1])).Distinct().Take(20).ToList();
        var fullNames = names.Where((_, i) => i % Math.Max(1, names.Count / 60) == 0).Take(60).ToList();
        var givenNames = names.Where(n => n.Length == 3).Select(n => n[1..]).Distinct().Take(30).ToList();
        var compounds = items.Select(i => i.GetProperty("address").GetString()).OfType<string>()
            .Select(a => new string(a.TakeWhile(c => !char.IsAsciiDigit(c)).ToArray())).Where(c => c.Length >= 2).Distinct().Take(30).ToList();

        var documents = new List<string>();
        var phones = new List<string>();
        foreach (var item in items.Where((_, i) => i % Math.Max(1, items.Count / 48) == 0).Take(48))
        {
            // Whole numbers are masked everywhere; the bench reveals them like a staff member would (each reveal is audited).
            var id = item.GetProperty("id").GetString();
            documents.Add((await RevealAsync(client, id, "DocumentNumber"))!);
            if (item.GetProperty("phone").ValueKind == JsonValueKind.String && await RevealAsync(client, id, "Phone") is { Length: 11 } phone) phones.Add(phone);
        }
        return new Pools(surnames, fullNames, givenNames, documents, phones, compounds);
    }

    private static async Task<string?> RevealAsync(HttpClient client, string? personId, string field)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/persons/{personId}/reveal", new { field });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"reveal {field}: {(int)response.StatusCode} {Http.Shorten(body)}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("value").GetString();
    }

    /// <summary>A deterministic sequence of searches; half of them scoped to <paramref name="committee"/>.</summary>
    public static List<LoadRequest> Build(Pools pools, string committee, int count, int seed)
    {
        var random = new Random(seed);
        var total = Kinds.Sum(k => k.Weight);
        var requests = new List<LoadRequest>(count);
        while (requests.Count < count)
        {
            var roll = random.Next(total);
            var kind = Kinds.First(k => (roll -= k.Weight) < 0).Kind;
            string? Pick(List<string> pool) => pool.Count == 0 ? null : pool[random.Next(pool.Count)];
            var q = kind switch
            {
                "surname" => Pick(pools.Surnames),
                "full-name" => Pick(pools.FullNames),
                "given-name" => Pick(pools.GivenNames),
                "id-last4" => Pick(pools.Documents)?[^4..],
                "id-last6" => Pick(pools.Documents)?[^6..],
                "id-full" => Pick(pools.Documents),
                "phone" => Pick(pools.Phones),
                "addr-word" => AddressWords[random.Next(AddressWords.Length)],
                _ => Pick(pools.Compounds),
            };
            if (q is null) continue;
            var scoped = random.Next(2) == 0;
            var url = $"/api/v1/persons?q={Uri.EscapeDataString(q)}" + (scoped ? $"&jurisdiction={committee}" : "");
            requests.Add(new LoadRequest(kind + (scoped ? "+committee" : ""), url));
        }
        return requests;
    }
}
