namespace Shouwang.Domain.People;

public static class PersonName
{
    /// <summary>张三 → 张*, 司马望舒 → 司**舒, Li Lei → L*****i: enough for a gate to greet someone, not to identify them from a log.</summary>
    public static string Mask(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        name = name.Trim();
        return name.Length switch
        {
            1 => name,
            2 => name[0] + "*",
            _ => name[0] + new string('*', name.Length - 2) + name[^1],
        };
    }
}
