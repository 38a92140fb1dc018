namespace Shouwang.Web.Infrastructure;

/// <summary>
/// What a use case returns: the value, or why not. Endpoints turn it into typed HTTP results, pages into messages;
/// business rules return these instead of throwing.
/// </summary>
public abstract record Outcome<T>
{
    public sealed record Success(T Value) : Outcome<T>;
    /// <summary>Field name (as in the request) → translated messages.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Outcome<T>;
    public sealed record NotFound(string Message) : Outcome<T>;
    public sealed record Conflict(string Message) : Outcome<T>;
    /// <summary>The caller may see the record but not do this to it (e.g. decide their own request): 403.</summary>
    public sealed record Forbidden(string Message) : Outcome<T>;
    /// <summary>Too many tries from one phone, address or reference: 429.</summary>
    public sealed record TooManyRequests(string Message) : Outcome<T>;

    public static implicit operator Outcome<T>(T value) => new Success(value);
}

/// <summary>Collects field errors in request order.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public Outcome<T> ToOutcome<T>() => new Outcome<T>.Invalid(ToDictionary());
}
