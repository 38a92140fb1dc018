using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.FollowUps;
using Shouwang.Domain.Measures;

namespace Shouwang.Web.Features.FollowUps;

public sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> builder)
    {
        builder.ToTable("FollowUps");
        builder.Property(f => f.Temperature).HasPrecision(4, 1);
        builder.Property(f => f.Note).HasMaxLength(500);
        builder.Property(f => f.RecordedByName).HasMaxLength(100);
        builder.Ignore(f => f.IsRecorded);
        // One row per measure, day and slot: recording twice or flagging twice is the same row.
        builder.HasIndex(f => new { f.MeasureId, f.Day, f.Slot }).IsUnique();
        builder.HasIndex(f => new { f.CommunityCode, f.Day });
        builder.HasIndex(f => new { f.GridId, f.Day });
        builder.HasIndex(f => f.PersonId);
        builder.HasOne<ControlMeasure>().WithMany().HasForeignKey(f => f.MeasureId).OnDelete(DeleteBehavior.Cascade);
    }
}
