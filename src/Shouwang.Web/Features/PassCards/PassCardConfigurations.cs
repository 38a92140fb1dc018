using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.PassCards;

namespace Shouwang.Web.Features.PassCards;

public sealed class PassCardRuleConfiguration : IEntityTypeConfiguration<PassCardRule>
{
    public void Configure(EntityTypeBuilder<PassCardRule> builder)
    {
        builder.ToTable("PassCardRules");
        builder.Property(r => r.UpdatedByName).HasMaxLength(100);
        builder.HasIndex(r => r.CommunityCode).IsUnique();
    }
}

public sealed class PassCardConfiguration : IEntityTypeConfiguration<PassCard>
{
    public void Configure(EntityTypeBuilder<PassCard> builder)
    {
        builder.ToTable("PassCards");
        builder.HasIndex(c => c.HouseholdId).IsUnique();
        builder.HasIndex(c => new { c.CommunityCode, c.GridId });
    }
}

public sealed class PassCardTripConfiguration : IEntityTypeConfiguration<PassCardTrip>
{
    public void Configure(EntityTypeBuilder<PassCardTrip> builder)
    {
        builder.ToTable("PassCardTrips");
        // The quota itself: one row per household, window and slot, whichever process inserts it first.
        builder.HasIndex(t => new { t.HouseholdId, t.Window, t.Slot }).IsUnique();
        builder.HasIndex(t => new { t.CommunityCode, t.ReturnAt, t.DueBackAt });
        builder.HasIndex(t => t.ExitPassageId);
    }
}
