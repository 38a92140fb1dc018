using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Shouwang.Domain.People;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Hotline;

/// <summary>What a resident sends from the public page or the mini-program. Strings throughout, so bad input is named, not a parse failure.</summary>
public sealed class PublicRequestInput
{
    /// <summary>HotlineReport (热线举报) or ResidentRequest (急难愁盼).</summary>
    public string? Kind { get; set; }
    /// <summary>For ResidentRequest: Medicine, MedicalCare, Food or Other.</summary>
    public string? Need { get; set; }
    /// <summary>12-digit code of a served committee (see GET /api/v1/public/communities).</summary>
    public string? CommunityCode { get; set; }
    public string? Address { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? Description { get; set; }
}

public sealed record FiledPublicRequest(string Number, WorkOrderStatus Status);

/// <summary>The submission was refused by the per-phone or per-address limit; nothing was written.</summary>
/// <summary>Turns a resident's report into a 待派 work order in the chosen community, written on the platform's behalf.</summary>
public sealed class FilePublicRequest(
    IDbContextFactory<AppDbContext> dbFactory, ServedCommunities communities, PublicRateLimits limits, PublicRequestWriter writer, LocalClock clock, IOptions<HotlineOptions> options, IStringLocalizer<HotlineResource> l,
    ILogger<FilePublicRequest> logger)
{
    public const int MaxAddressLength = 200;
    public const int MaxNameLength = 50;
    public const int MaxDescriptionLength = 500;
    public const string Actor = "居民（公开页面）";

    public static readonly UrgentNeed[] Needs = [UrgentNeed.Medicine, UrgentNeed.MedicalCare, UrgentNeed.Food, UrgentNeed.Other];

    public async Task<Outcome<FiledPublicRequest>> HandleAsync(PublicRequestInput input, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);

        var kind = ParseKind(input.Kind);
        if (kind is null) errors.Add(nameof(input.Kind), l["Error.KindInvalid"]);
        var need = UrgentNeed.None;
        if (kind == WorkOrderSource.ResidentRequest && !TryParseNeed(input.Need, out need)) errors.Add(nameof(input.Need), l["Error.NeedRequired"]);

        long community = 0;
        if (!Committees.TryParse(TextNormalizer.Normalize(input.CommunityCode), out community) || !await communities.IsServedAsync(community, cancellationToken))
            errors.Add(nameof(input.CommunityCode), l["Error.CommunityInvalid"]);

        var address = TextNormalizer.CleanText(input.Address);
        if (address.Length == 0) errors.Add(nameof(input.Address), l["Error.AddressRequired"]);
        else if (address.Length > MaxAddressLength) errors.Add(nameof(input.Address), l["Error.TooLong", MaxAddressLength]);

        var name = TextNormalizer.CleanText(input.Name);
        if (name.Length > MaxNameLength) errors.Add(nameof(input.Name), l["Error.TooLong", MaxNameLength]);

        string? phone = null;
        if (string.IsNullOrWhiteSpace(input.Phone)) errors.Add(nameof(input.Phone), l["Error.PhoneRequired"]);
        else if (!PhoneNumber.TryNormalize(input.Phone, out phone)) errors.Add(nameof(input.Phone), l["Error.PhoneInvalid"]);

        var description = input.Description?.Trim() ?? "";
        if (description.Length == 0) errors.Add(nameof(input.Description), l["Error.DescriptionRequired"]);
        else if (description.Length > MaxDescriptionLength) errors.Add(nameof(input.Description), l["Error.TooLong", MaxDescriptionLength]);

        if (errors.Any) return errors.ToOutcome<FiledPublicRequest>();

        if (!limits.TryAcquireFiling(phone!, community, TextNormalizer.Normalize(address)))
            return new Outcome<FiledPublicRequest>.TooManyRequests(l["Error.TooManyRequests"]);

        // The same address as a registered household of this committee ties the order to it and its grid.
        var household = await db.Households.AsNoTracking().Where(h => h.CommunityCode == community && h.Address == address)
            .OrderBy(h => h.CreatedAt).Select(h => new { h.Id, h.GridId }).FirstOrDefaultAsync(cancellationToken);

        var now = clock.UtcNow;
        var hours = need is UrgentNeed.Medicine or UrgentNeed.MedicalCare ? options.Value.UrgentMedicalDueHours : options.Value.DueHours;
        for (var attempt = 1; ; attempt++)
        {
            // Five random characters a day: a clash is rare, and the unique index refuses it; then a new number is drawn.
            var number = WorkOrderNumbers.New(clock.Today());
            var order = new WorkOrder
            {
                Number = number,
                Source = kind!.Value,
                Need = need,
                Title = Title(kind.Value, need, description),
                Description = description,
                SubjectKind = household is null ? WorkOrderSubject.Place : WorkOrderSubject.Household,
                HouseholdId = household?.Id,
                GridId = household?.GridId,
                Place = address,
                CommunityCode = community,
                DueAt = now.AddHours(hours),
                Status = WorkOrderStatus.Pending,
                ReporterName = name.Length > 0 ? name : null,
                ReporterPhone = phone,
                IsPublic = true,
                CreatedAt = now,
                UpdatedAt = now,
            };
            var created = new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Created, Actor = Actor, Text = "公开页面提交" };
            try
            {
                await writer.WriteAsync(order, created, cancellationToken);
                return new FiledPublicRequest(number, order.Status);
            }
            catch (DbUpdateException e) when (attempt < 5)
            {
                logger.LogWarning(e, "Work order number {Number} collided; retrying", number);
            }
        }
    }

    public static WorkOrderSource? ParseKind(string? value) => value?.Trim() switch
    {
        { } v when v.Equals(nameof(WorkOrderSource.HotlineReport), StringComparison.OrdinalIgnoreCase) => WorkOrderSource.HotlineReport,
        { } v when v.Equals(nameof(WorkOrderSource.ResidentRequest), StringComparison.OrdinalIgnoreCase) => WorkOrderSource.ResidentRequest,
        _ => null,
    };

    private static bool TryParseNeed(string? value, out UrgentNeed need) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out need) && !int.TryParse(value, out _) && Needs.Contains(need);

    // Titles are data staff read in the queue, so they are written in Chinese whatever language the resident used.
    private static string Title(WorkOrderSource kind, UrgentNeed need, string description)
    {
        if (kind == WorkOrderSource.ResidentRequest)
        {
            return "急难愁盼·" + need switch
            {
                UrgentNeed.Medicine => "买药",
                UrgentNeed.MedicalCare => "就医",
                UrgentNeed.Food => "生活物资",
                _ => "其他",
            };
        }
        // Only whitespace is folded: CleanText would turn Chinese punctuation (，) into ASCII.
        var text = System.Text.RegularExpressions.Regex.Replace(description, @"\s+", " ");
        return "热线举报：" + (text.Length > 20 ? text[..20] : text);
    }
}
