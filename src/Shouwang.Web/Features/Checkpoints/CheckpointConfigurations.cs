using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.Checkpoints;

namespace Shouwang.Web.Features.Checkpoints;

public sealed class CheckpointConfiguration : IEntityTypeConfiguration<Checkpoint>
{
    public void Configure(EntityTypeBuilder<Checkpoint> builder)
    {
        builder.ToTable("Checkpoints");
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.GuardedCode).HasMaxLength(12);
        builder.Property(c => c.Location).HasMaxLength(200);
        builder.Property(c => c.FeverThreshold).HasPrecision(4, 1);
        builder.HasIndex(c => new { c.CommunityCode, c.Name });
    }
}

public sealed class CheckpointDutyConfiguration : IEntityTypeConfiguration<CheckpointDuty>
{
    public void Configure(EntityTypeBuilder<CheckpointDuty> builder)
    {
        builder.ToTable("CheckpointDuties");
        builder.Property(d => d.AccountName).HasMaxLength(100);
        builder.HasIndex(d => new { d.CheckpointId, d.SignedOutAt });
        builder.HasIndex(d => new { d.AccountId, d.SignedOutAt });
        builder.HasOne<Checkpoint>().WithMany().HasForeignKey(d => d.CheckpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PassageConfiguration : IEntityTypeConfiguration<Passage>
{
    public void Configure(EntityTypeBuilder<Passage> builder)
    {
        builder.ToTable("Passages");
        // The device makes the id; a second arrival of it is the same passage.
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Reasons).HasMaxLength(4000);
        builder.Property(p => p.Temperature).HasPrecision(4, 1);
        builder.Property(p => p.OriginCode).HasMaxLength(12);
        builder.Property(p => p.OperatorName).HasMaxLength(100);
        // Logs by checkpoint, place and committee over time; tracing by person or visitor over time.
        builder.HasIndex(p => new { p.CheckpointId, p.At });
        builder.HasIndex(p => new { p.PlaceId, p.At });
        builder.HasIndex(p => new { p.CommunityCode, p.At });
        builder.HasIndex(p => new { p.PersonId, p.At });
        builder.HasIndex(p => new { p.VisitorId, p.At });
        builder.HasIndex(p => p.VehicleId);
    }
}

public sealed class VisitorConfiguration : IEntityTypeConfiguration<Visitor>
{
    public void Configure(EntityTypeBuilder<Visitor> builder)
    {
        builder.ToTable("Visitors");
        builder.Property(v => v.DocumentNumber).HasMaxLength(40);
        builder.Property(v => v.Name).HasMaxLength(50);
        builder.Property(v => v.Phone).HasMaxLength(20);
        builder.Property(v => v.OriginCode).HasMaxLength(12);
        builder.Property(v => v.Reason).HasMaxLength(200);
        builder.Property(v => v.Destination).HasMaxLength(200);
        builder.HasIndex(v => new { v.DocumentType, v.DocumentNumber });
        builder.HasIndex(v => v.Phone);
        builder.HasIndex(v => v.CommunityCode);
    }
}

public sealed class VehicleConfiguration : IEntityTypeConfiguration<Vehicle>
{
    public void Configure(EntityTypeBuilder<Vehicle> builder)
    {
        builder.ToTable("Vehicles");
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Plate).HasMaxLength(20);
        builder.Property(v => v.OriginCode).HasMaxLength(12);
        builder.Property(v => v.Destination).HasMaxLength(200);
        builder.Property(v => v.CommitmentSignerName).HasMaxLength(50);
        builder.Property(v => v.CommitmentSignerPhone).HasMaxLength(20);
        // A finger-drawn signature as a small PNG.
        builder.Property(v => v.CommitmentSignature).HasMaxLength(200_000);
        builder.Property(v => v.OperatorName).HasMaxLength(100);
        builder.HasIndex(v => new { v.CheckpointId, v.At });
        builder.HasIndex(v => new { v.Plate, v.At });
        builder.HasIndex(v => new { v.CommunityCode, v.At });
    }
}
