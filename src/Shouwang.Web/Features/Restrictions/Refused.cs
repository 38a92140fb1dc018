using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Restrictions;

/// <summary>The caller may not do this to this record (the four-eyes rule): answered as 403 with a translated title.</summary>
public sealed record Refused<T>(string Message) : Outcome<T>;
