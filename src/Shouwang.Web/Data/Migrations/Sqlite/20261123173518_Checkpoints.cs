using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shouwang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Checkpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Checkpoints",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    GuardedCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    CompoundId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Location = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Latitude = table.Column<double>(type: "REAL", nullable: true),
                    Longitude = table.Column<double>(type: "REAL", nullable: true),
                    OpensAt = table.Column<TimeOnly>(type: "TEXT", nullable: true),
                    ClosesAt = table.Column<TimeOnly>(type: "TEXT", nullable: true),
                    YellowCode = table.Column<int>(type: "INTEGER", nullable: false),
                    VaccinationDosesRequired = table.Column<int>(type: "INTEGER", nullable: true),
                    FeverThreshold = table.Column<decimal>(type: "TEXT", precision: 4, scale: 1, nullable: false),
                    RiskWindowDays = table.Column<int>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Checkpoints", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Passages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    CheckpointId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PlaceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: true),
                    VisitorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    Verdict = table.Column<int>(type: "INTEGER", nullable: false),
                    Reasons = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Temperature = table.Column<decimal>(type: "TEXT", precision: 4, scale: 1, nullable: true),
                    Mask = table.Column<bool>(type: "INTEGER", nullable: true),
                    OriginCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    VehicleId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PassCardTripId = table.Column<Guid>(type: "TEXT", nullable: true),
                    WasOffline = table.Column<bool>(type: "INTEGER", nullable: false),
                    OperatorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OperatorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Passages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PassCardRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    PersonsPerWindow = table.Column<int>(type: "INTEGER", nullable: false),
                    WindowDays = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxHoursOut = table.Column<int>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PassCardRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PassCards",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Serial = table.Column<int>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PassCards", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PassCardTrips",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RuleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Window = table.Column<int>(type: "INTEGER", nullable: false),
                    Slot = table.Column<int>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ExitPassageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExitAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DueBackAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReturnPassageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReturnAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PassCardTrips", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PersonCodes",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Serial = table.Column<int>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RevokedReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonCodes", x => x.PersonId);
                    table.ForeignKey(
                        name: "FK_PersonCodes_Persons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "Persons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Places",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ContactName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ContactPhone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Places", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SigningKeys",
                columns: table => new
                {
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SigningKeys", x => x.Purpose);
                });

            migrationBuilder.CreateTable(
                name: "Vehicles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CheckpointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    Plate = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Occupants = table.Column<int>(type: "INTEGER", nullable: false),
                    OriginCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ThroughTraffic = table.Column<bool>(type: "INTEGER", nullable: false),
                    CommitmentSignerName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    CommitmentSignerPhone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    CommitmentSignature = table.Column<string>(type: "TEXT", maxLength: 200000, nullable: true),
                    CommitmentSignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OperatorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OperatorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Vehicles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Visitors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentType = table.Column<int>(type: "INTEGER", nullable: false),
                    DocumentNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    OriginCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Visitors", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CheckpointDuties",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CheckpointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SignedInAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SignedOutAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckpointDuties", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CheckpointDuties_Checkpoints_CheckpointId",
                        column: x => x.CheckpointId,
                        principalTable: "Checkpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CheckpointDuties_AccountId_SignedOutAt",
                table: "CheckpointDuties",
                columns: new[] { "AccountId", "SignedOutAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CheckpointDuties_CheckpointId_SignedOutAt",
                table: "CheckpointDuties",
                columns: new[] { "CheckpointId", "SignedOutAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Checkpoints_CommunityCode_Name",
                table: "Checkpoints",
                columns: new[] { "CommunityCode", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Passages_CheckpointId_At",
                table: "Passages",
                columns: new[] { "CheckpointId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Passages_CommunityCode_At",
                table: "Passages",
                columns: new[] { "CommunityCode", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Passages_PersonId_At",
                table: "Passages",
                columns: new[] { "PersonId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Passages_PlaceId_At",
                table: "Passages",
                columns: new[] { "PlaceId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Passages_VehicleId",
                table: "Passages",
                column: "VehicleId");

            migrationBuilder.CreateIndex(
                name: "IX_Passages_VisitorId_At",
                table: "Passages",
                columns: new[] { "VisitorId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PassCardRules_CommunityCode",
                table: "PassCardRules",
                column: "CommunityCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PassCards_CommunityCode_GridId",
                table: "PassCards",
                columns: new[] { "CommunityCode", "GridId" });

            migrationBuilder.CreateIndex(
                name: "IX_PassCards_HouseholdId",
                table: "PassCards",
                column: "HouseholdId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PassCardTrips_CommunityCode_ReturnAt_DueBackAt",
                table: "PassCardTrips",
                columns: new[] { "CommunityCode", "ReturnAt", "DueBackAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PassCardTrips_ExitPassageId",
                table: "PassCardTrips",
                column: "ExitPassageId");

            migrationBuilder.CreateIndex(
                name: "IX_PassCardTrips_HouseholdId_Window_Slot",
                table: "PassCardTrips",
                columns: new[] { "HouseholdId", "Window", "Slot" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Places_CommunityCode_Name",
                table: "Places",
                columns: new[] { "CommunityCode", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Vehicles_CheckpointId_At",
                table: "Vehicles",
                columns: new[] { "CheckpointId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Vehicles_CommunityCode_At",
                table: "Vehicles",
                columns: new[] { "CommunityCode", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Vehicles_Plate_At",
                table: "Vehicles",
                columns: new[] { "Plate", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Visitors_CommunityCode",
                table: "Visitors",
                column: "CommunityCode");

            migrationBuilder.CreateIndex(
                name: "IX_Visitors_DocumentType_DocumentNumber",
                table: "Visitors",
                columns: new[] { "DocumentType", "DocumentNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Visitors_Phone",
                table: "Visitors",
                column: "Phone");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CheckpointDuties");

            migrationBuilder.DropTable(
                name: "Passages");

            migrationBuilder.DropTable(
                name: "PassCardRules");

            migrationBuilder.DropTable(
                name: "PassCards");

            migrationBuilder.DropTable(
                name: "PassCardTrips");

            migrationBuilder.DropTable(
                name: "PersonCodes");

            migrationBuilder.DropTable(
                name: "Places");

            migrationBuilder.DropTable(
                name: "SigningKeys");

            migrationBuilder.DropTable(
                name: "Vehicles");

            migrationBuilder.DropTable(
                name: "Visitors");

            migrationBuilder.DropTable(
                name: "Checkpoints");
        }
    }
}
