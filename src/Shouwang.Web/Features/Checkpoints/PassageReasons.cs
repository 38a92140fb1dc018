using System.Text.Json;
using System.Text.Json.Serialization;
using Shouwang.Domain.Checkpoints;

namespace Shouwang.Web.Features.Checkpoints;

/// <summary>A passage keeps its decision's reasons as JSON text, so the log shows exactly what the gate was told.</summary>
public static class PassageReasons
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public static string ToJson(IReadOnlyList<DecisionReason> reasons) => reasons.Count == 0 ? "[]" : JsonSerializer.Serialize(reasons, Options);

    public static IReadOnlyList<DecisionReason> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<DecisionReason>>(json, Options) ?? [];
}
