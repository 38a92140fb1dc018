using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Shouwang.Web.Data;

/// <summary>Reads every DateTime back as UTC, whatever the provider returned.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
