using Shouwang.Domain.People;
using Shouwang.Domain.Policies;

namespace Shouwang.Domain.Arrivals;

public enum ArrivalSource { Public = 0, Staff = 1 }

public enum Transport { Train = 0, Plane = 1, Car = 2, Coach = 3, Ship = 4, Other = 5 }

/// <summary>报备 → reviewed: a measure issued, none needed (origin not at risk), or dismissed (a duplicate, a mistake).</summary>
public enum ArrivalState { Submitted = 0, MeasureIssued = 1, NoMeasureNeeded = 2, Dismissed = 3 }

/// <summary>Where the origin's risk level came from.</summary>
public enum OriginRiskSource { None = 0, OwnDesignation = 1, ExternalList = 2 }

/// <summary>来返报备: someone coming (back) to the district reports who they are, where from and where they will stay.</summary>
public sealed class ArrivalReport
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>The reference the reporter keeps (e.g. LF261123-7K3MQ).</summary>
    public required string Number { get; init; }
    public ArrivalSource Source { get; init; }
    public DocumentType DocumentType { get; init; }
    public required string DocumentNumber { get; init; }
    public required string Name { get; init; }
    public required string Phone { get; init; }
    /// <summary>Division code of the origin, 6 (county), 9 (street) or 12 digits.</summary>
    public required string OriginCode { get; init; }
    public required string OriginName { get; init; }
    public string? Route { get; init; }
    public Transport Transport { get; init; }
    /// <summary>Train or flight number, car plate.</summary>
    public string? TransportDetail { get; init; }
    public DateOnly LeftOn { get; init; }
    public DateOnly ArrivedOn { get; init; }
    /// <summary>The committee they stay in: the report's scope.</summary>
    public long CommunityCode { get; init; }
    public Guid? GridId { get; set; }
    public required string StayAddress { get; init; }
    /// <summary>The registry person, when matched or created on review.</summary>
    public Guid? PersonId { get; set; }
    public RiskAreaLevel? OriginRiskLevel { get; set; }
    public OriginRiskSource OriginRiskSource { get; set; }
    public PersonCategory? ProposedCategory { get; set; }
    public ArrivalState State { get; set; }
    public Guid? CourseId { get; set; }
    public string? ReviewNote { get; set; }
    public Guid? ReviewedBy { get; set; }
    public string? ReviewedByName { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public Guid? CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A risk region elsewhere in the country (outside our designations), kept or imported by staff from the official lists.</summary>
public sealed class ExternalRiskRegion
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>6 (county), 9 (street) or 12 digits: covers every origin code that starts with it.</summary>
    public required string DivisionCode { get; init; }
    public required string Name { get; set; }
    public RiskAreaLevel Level { get; set; }
    public DateOnly FromDay { get; set; }
    public DateOnly? UntilDay { get; set; }
    public string? Source { get; set; }
    public Guid? UpdatedBy { get; set; }
    public required string UpdatedByName { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool IsInForceOn(DateOnly day) => FromDay <= day && (UntilDay is null || day <= UntilDay);
}
