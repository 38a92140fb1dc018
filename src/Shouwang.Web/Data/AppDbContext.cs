using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Cases;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.FollowUps;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.Measures;
using Shouwang.Domain.PassCards;
using Shouwang.Domain.PlaceCodes;
using Shouwang.Domain.People;
using Shouwang.Domain.Registry;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.RiskAreas;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;

namespace Shouwang.Web.Data;

/// <summary>
/// The one database of the platform. Each provider has its own subclass so that its migration set can live beside
/// the other's (EF finds migrations by context type; a separate migrations project would have to reference this host).
/// <para>
/// Jurisdiction scope lives here and nowhere else: a context captures the current <see cref="Caller"/> when it is made
/// (or, from the app's pooled factory, when it is handed out: <see cref="BindTo"/>), every query of a scoped table is filtered
/// to the caller's subtree (and grid), and a write outside it is refused.
/// Every write is audited in the same transaction.
/// </para>
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityUserContext<StaffAccount, Guid>(options)
{
    private Caller _caller = CallerContext.Current;
    private TimeProvider _time = TimeProvider.System;
    private long _scopeMin = CallerContext.Current.ScopeMin;
    private long _scopeMax = CallerContext.Current.ScopeMax;

    /// <summary>
    /// Makes a context from EF's pool this caller's, with this clock: everything of this class that outlives a lease is set here
    /// (EF resets its own state when a context goes back to the pool). Called by the app's factory on every context it hands out.
    /// </summary>
    internal AppDbContext BindTo(Caller caller, TimeProvider time)
    {
        _caller = caller;
        _time = time;
        _scopeMin = caller.ScopeMin;
        _scopeMax = caller.ScopeMax;
        AuditEntityWrites = true;
        return this;
    }

    public DbSet<Jurisdiction> Jurisdictions => Set<Jurisdiction>();
    public DbSet<Compound> Compounds => Set<Compound>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<Grid> Grids => Set<Grid>();
    public DbSet<GridStaff> GridStaff => Set<GridStaff>();
    public DbSet<Household> Households => Set<Household>();
    public DbSet<Person> Persons => Set<Person>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<WorkOrder> WorkOrders => Set<WorkOrder>();
    public DbSet<WorkOrderEvent> WorkOrderEvents => Set<WorkOrderEvent>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<Restriction> Restrictions => Set<Restriction>();
    public DbSet<Features.Policies.StoredPolicy> Policies => Set<Features.Policies.StoredPolicy>();
    public DbSet<Features.Policies.PolicyInForce> PoliciesInForce => Set<Features.Policies.PolicyInForce>();
    public DbSet<ControlMeasure> ControlMeasures => Set<ControlMeasure>();
    public DbSet<FollowUp> FollowUps => Set<FollowUp>();
    public DbSet<RiskArea> RiskAreas => Set<RiskArea>();
    public DbSet<RiskAreaEvent> RiskAreaEvents => Set<RiskAreaEvent>();
    public DbSet<RiskAreaScreening> RiskAreaScreenings => Set<RiskAreaScreening>();
    public DbSet<RiskAreaReleaseProposal> RiskAreaReleaseProposals => Set<RiskAreaReleaseProposal>();
    public DbSet<ArrivalReport> ArrivalReports => Set<ArrivalReport>();
    /// <summary>Not scoped: the country's risk regions are one shared list.</summary>
    public DbSet<ExternalRiskRegion> ExternalRiskRegions => Set<ExternalRiskRegion>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<Checkpoint> Checkpoints => Set<Checkpoint>();
    public DbSet<CheckpointDuty> CheckpointDuties => Set<CheckpointDuty>();
    public DbSet<Passage> Passages => Set<Passage>();
    public DbSet<Visitor> Visitors => Set<Visitor>();
    public DbSet<Vehicle> Vehicles => Set<Vehicle>();
    public DbSet<Place> Places => Set<Place>();
    public DbSet<PassCardRule> PassCardRules => Set<PassCardRule>();
    public DbSet<PassCard> PassCards => Set<PassCard>();
    public DbSet<PassCardTrip> PassCardTrips => Set<PassCardTrip>();
    public DbSet<TestingRound> TestingRounds => Set<TestingRound>();
    public DbSet<TestingRoundScope> TestingRoundScopes => Set<TestingRoundScope>();
    public DbSet<RoundExemption> RoundExemptions => Set<RoundExemption>();
    public DbSet<SamplingSite> SamplingSites => Set<SamplingSite>();
    public DbSet<SamplingSiteStaff> SamplingSiteStaff => Set<SamplingSiteStaff>();
    public DbSet<Tube> Tubes => Set<Tube>();
    public DbSet<Sample> Samples => Set<Sample>();
    public DbSet<TransferBox> TransferBoxes => Set<TransferBox>();
    public DbSet<Retest> Retests => Set<Retest>();
    public DbSet<Case> Cases => Set<Case>();
    /// <summary>Not scoped: only serials; the person's own scope guards who may reissue.</summary>
    public DbSet<PersonCode> PersonCodes => Set<PersonCode>();
    /// <summary>Not scoped: platform secrets, never sent to anyone.</summary>
    public DbSet<Infrastructure.SigningKey> SigningKeys => Set<Infrastructure.SigningKey>();

    /// <summary>The caller this context works for.</summary>
    public Caller Caller => _caller;

    /// <summary>Bulk writers (imports, the demo seed) turn this off and write one summary entry instead of one per row.</summary>
    public bool AuditEntityWrites { get; set; } = true;

    /// <summary>The committee-code range this context sees (the caller's subtree, narrowed by <see cref="NarrowTo"/>).</summary>
    public (long Min, long Max) ScopeRange => (_scopeMin, _scopeMax);

    /// <summary>The grid a grid-bound caller is limited to (null: the whole range).</summary>
    public Guid? ScopeGrid => ScopeGridId;

    // Read by the query filters below; EF binds them to the context instance running the query.
    private long ScopeMin => _scopeMin;
    private long ScopeMax => _scopeMax;
    private Guid? ScopeGridId => _caller.IsSystem ? null : _caller.GridId;
    private Guid? CallerAccountId => _caller.AccountId;

    /// <summary>
    /// Narrows this context's scope to a node (never widens it: outside the caller's subtree the result is empty). Use it
    /// for "within this node" instead of a second range condition: SQLite plans one range per column, and would scan the
    /// caller's whole subtree to find a committee in it.
    /// </summary>
    public AppDbContext NarrowTo(JurisdictionCode node)
    {
        var (min, max) = node.SubtreeRange;
        _scopeMin = Math.Max(_scopeMin, min);
        _scopeMax = Math.Min(_scopeMax, max);
        return this;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        builder.Entity<Person>().HasQueryFilter(p => p.CommunityCode >= ScopeMin && p.CommunityCode <= ScopeMax && (ScopeGridId == null || p.GridId == ScopeGridId));
        builder.Entity<Household>().HasQueryFilter(h => h.CommunityCode >= ScopeMin && h.CommunityCode <= ScopeMax && (ScopeGridId == null || h.GridId == ScopeGridId));
        builder.Entity<Grid>().HasQueryFilter(g => g.CommunityCode >= ScopeMin && g.CommunityCode <= ScopeMax && (ScopeGridId == null || g.Id == ScopeGridId));
        builder.Entity<Compound>().HasQueryFilter(c => c.CommunityCode >= ScopeMin && c.CommunityCode <= ScopeMax);
        builder.Entity<Building>().HasQueryFilter(b => b.CommunityCode >= ScopeMin && b.CommunityCode <= ScopeMax);
        builder.Entity<Team>().HasQueryFilter(t => t.CommunityCode >= ScopeMin && t.CommunityCode <= ScopeMax);
        builder.Entity<AuditEntry>().HasQueryFilter(a => a.ScopeCode >= ScopeMin && a.ScopeCode <= ScopeMax);
        builder.Entity<Restriction>().HasQueryFilter(r => r.CommunityCode >= ScopeMin && r.CommunityCode <= ScopeMax && (ScopeGridId == null || r.GridId == ScopeGridId));
        builder.Entity<ControlMeasure>().HasQueryFilter(m => m.CommunityCode >= ScopeMin && m.CommunityCode <= ScopeMax && (ScopeGridId == null || m.GridId == ScopeGridId));
        builder.Entity<FollowUp>().HasQueryFilter(f => f.CommunityCode >= ScopeMin && f.CommunityCode <= ScopeMax && (ScopeGridId == null || f.GridId == ScopeGridId));
        builder.Entity<Alert>().HasQueryFilter(a => a.CommunityCode >= ScopeMin && a.CommunityCode <= ScopeMax && (ScopeGridId == null || a.GridId == null || a.GridId == ScopeGridId));
        builder.Entity<ArrivalReport>().HasQueryFilter(a => a.CommunityCode >= ScopeMin && a.CommunityCode <= ScopeMax && (ScopeGridId == null || a.GridId == ScopeGridId));
        // Risk areas are seen by the whole committee, grid workers included: a lockdown building concerns every grid around it.
        builder.Entity<Checkpoint>().HasQueryFilter(c => c.CommunityCode >= ScopeMin && c.CommunityCode <= ScopeMax);
        builder.Entity<CheckpointDuty>().HasQueryFilter(d => d.CommunityCode >= ScopeMin && d.CommunityCode <= ScopeMax);
        // Passages and vehicles belong to the checkpoint's or place's committee; a grid-bound caller sees the whole committee's gates.
        builder.Entity<Passage>().HasQueryFilter(p => p.CommunityCode >= ScopeMin && p.CommunityCode <= ScopeMax);
        builder.Entity<Vehicle>().HasQueryFilter(v => v.CommunityCode >= ScopeMin && v.CommunityCode <= ScopeMax);
        builder.Entity<Visitor>().HasQueryFilter(v => v.CommunityCode >= ScopeMin && v.CommunityCode <= ScopeMax);
        builder.Entity<Place>().HasQueryFilter(p => p.CommunityCode >= ScopeMin && p.CommunityCode <= ScopeMax);
        builder.Entity<PassCardRule>().HasQueryFilter(r => r.CommunityCode >= ScopeMin && r.CommunityCode <= ScopeMax);
        builder.Entity<PassCard>().HasQueryFilter(c => c.CommunityCode >= ScopeMin && c.CommunityCode <= ScopeMax && (ScopeGridId == null || c.GridId == ScopeGridId));
        builder.Entity<PassCardTrip>().HasQueryFilter(t => t.CommunityCode >= ScopeMin && t.CommunityCode <= ScopeMax && (ScopeGridId == null || t.GridId == ScopeGridId));
        // A round is seen by whoever's subtree overlaps one of its scope nodes; its samples and exemptions by where people live.
        builder.Entity<TestingRoundScope>().HasQueryFilter(s => s.Max >= ScopeMin && s.Min <= ScopeMax);
        builder.Entity<TestingRound>().HasQueryFilter(r => TestingRoundScopes.Any(s => s.RoundId == r.Id));
        builder.Entity<RoundExemption>().HasQueryFilter(e => e.CommunityCode >= ScopeMin && e.CommunityCode <= ScopeMax && (ScopeGridId == null || e.GridId == ScopeGridId));
        builder.Entity<SamplingSite>().HasQueryFilter(s => s.CommunityCode >= ScopeMin && s.CommunityCode <= ScopeMax);
        builder.Entity<SamplingSiteStaff>().HasQueryFilter(s => s.CommunityCode >= ScopeMin && s.CommunityCode <= ScopeMax);
        builder.Entity<Tube>().HasQueryFilter(t => t.CommunityCode >= ScopeMin && t.CommunityCode <= ScopeMax);
        builder.Entity<Sample>().HasQueryFilter(s => s.CommunityCode >= ScopeMin && s.CommunityCode <= ScopeMax && (ScopeGridId == null || s.GridId == ScopeGridId));
        builder.Entity<TransferBox>().HasQueryFilter(b => b.CommunityCode >= ScopeMin && b.CommunityCode <= ScopeMax);
        builder.Entity<Retest>().HasQueryFilter(r => r.CommunityCode >= ScopeMin && r.CommunityCode <= ScopeMax && (ScopeGridId == null || r.GridId == ScopeGridId));
        builder.Entity<Case>().HasQueryFilter(c => c.CommunityCode >= ScopeMin && c.CommunityCode <= ScopeMax && (ScopeGridId == null || c.GridId == ScopeGridId));
        builder.Entity<RiskArea>().HasQueryFilter(a => a.CommunityCode >= ScopeMin && a.CommunityCode <= ScopeMax);
        builder.Entity<RiskAreaEvent>().HasQueryFilter(e => e.CommunityCode >= ScopeMin && e.CommunityCode <= ScopeMax);
        builder.Entity<RiskAreaScreening>().HasQueryFilter(e => e.CommunityCode >= ScopeMin && e.CommunityCode <= ScopeMax);
        builder.Entity<RiskAreaReleaseProposal>().HasQueryFilter(e => e.CommunityCode >= ScopeMin && e.CommunityCode <= ScopeMax);
        // A grid-bound caller sees its grid's orders and any order given to it personally or to a team it is in.
        builder.Entity<WorkOrder>().HasQueryFilter(w => w.CommunityCode >= ScopeMin && w.CommunityCode <= ScopeMax
            && (ScopeGridId == null || w.GridId == ScopeGridId || w.AssigneeGridId == ScopeGridId || w.AssigneeAccountId == CallerAccountId
                || (w.AssigneeTeamId != null && TeamMembers.Any(m => m.TeamId == w.AssigneeTeamId && m.AccountId == CallerAccountId))));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are stored as UTC DateTime on both providers (SQLite cannot order DateTimeOffset).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(200);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        await FollowMovedPersonsAsync(cancellationToken);
        GuardScopeAndLog();
        var log = AuditEntityWrites ? EntityAudit.Collect(ChangeTracker, _caller, _time.GetUtcNow().UtcDateTime) : [];
        if (log.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        // The log lines commit with the write or not at all. They go in as one plain INSERT rather than through the change
        // tracker, which costs several times what the database does for them (bench: the audit share of a write request).
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await AuditInsert.WriteAsync(this, log, cancellationToken);
            if (own is not null) await own.CommitAsync(cancellationToken);
            return written;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    /// <summary>
    /// A person's restrictions and running measures carry the person's committee and grid for scoping; when the person moves
    /// they move too, in the same save, so the new community sees (and checkpoints apply) what is in force.
    /// </summary>
    private async Task FollowMovedPersonsAsync(CancellationToken cancellationToken)
    {
        var moved = ChangeTracker.Entries<Person>()
            .Where(e => e.State == EntityState.Modified
                && (!Equals(e.Property(p => p.CommunityCode).OriginalValue, e.Entity.CommunityCode) || !Equals(e.Property(p => p.GridId).OriginalValue, e.Entity.GridId)))
            .ToDictionary(e => e.Entity.Id, e => e.Entity);
        if (moved.Count == 0) return;
        var ids = moved.Keys.ToList();
        foreach (var restriction in await Restrictions.IgnoreQueryFilters().Where(r => ids.Contains(r.PersonId)).ToListAsync(cancellationToken))
            restriction.FollowPerson(moved[restriction.PersonId].CommunityCode, moved[restriction.PersonId].GridId);
        // Measures still running move too, so the new grid worker finds the person in their list; finished ones stay where they were served.
        var today = Infrastructure.LocalClock.DayOf(_time.GetUtcNow());
        foreach (var measure in await ControlMeasures.IgnoreQueryFilters().Where(m => ids.Contains(m.PersonId) && m.EndDay >= today).ToListAsync(cancellationToken))
            measure.FollowPerson(moved[measure.PersonId].CommunityCode, moved[measure.PersonId].GridId);
        ChangeTracker.DetectChanges();
    }

    /// <summary>The backstop behind every handler's own checks: nothing is written outside the caller's subtree, and the log only grows.</summary>
    private void GuardScopeAndLog()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            if (entry.Entity is AuditEntry or WorkOrderEvent && entry.State != EntityState.Added)
                throw new InvalidOperationException("The audit log and order histories are append-only.");
            if (_caller.IsSystem) continue;
            if (entry.Metadata.FindProperty("CommunityCode") is not null)
            {
                // Both where the row is going and where it was: a row can't be pulled in from outside, nor pushed out.
                var property = entry.Property("CommunityCode");
                if (property.CurrentValue is long code && !_caller.Covers(code)) throw new ScopeViolationException();
                if (entry.State != EntityState.Added && property.OriginalValue is long original && !_caller.Covers(original)) throw new ScopeViolationException();
            }
            // A grid-bound caller writes residents and households of their own grid only.
            if (_caller.GridId is { } grid && entry.Entity is Person or Household)
            {
                var property = entry.Property("GridId");
                if (!Equals(property.CurrentValue, grid) || (entry.State != EntityState.Added && !Equals(property.OriginalValue, grid)))
                    throw new ScopeViolationException();
            }
        }
    }
}

/// <summary>A write reached the database outside the caller's jurisdiction; answered as 403 and never saved.</summary>
public sealed class ScopeViolationException() : Exception("The record lies outside the caller's jurisdiction.");

// The clock comes from DI (tests move it); contexts made by hand (design time, the bench) use the system clock.
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
