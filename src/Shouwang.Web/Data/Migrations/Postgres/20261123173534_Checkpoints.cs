using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shouwang.Web.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    CommunityCode = table.Column<long>(type: "bigint", nullable: false),
                    GridId = table.Column<Guid>(type: "uuid", nullable: true),
                    GuardedCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    CompoundId = table.Column<Guid>(type: "uuid", nullable: true),
                    Location = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Latitude = table.Column<double>(type: "double precision", nullable: true),
                    Longitude = table.Column<double>(type: "double precision", nullable: true),
                    OpensAt = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    ClosesAt = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    YellowCode = table.Column<int>(type: "integer", nullable: false),
                    VaccinationDosesRequired = table.Column<int>(type: "integer", nullable: true),
                    FeverThreshold = table.Column<decimal>(type: "numeric(4,1)", precision: 4, scale: 1, nullable: false),
                    RiskWindowDays = table.Column<int>(type: "integer", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Checkpoints", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Passages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    CheckpointId = table.Column<Guid>(type: "uuid", nullable: true),
                    PlaceId = table.Column<Guid>(type: "uuid", nullable: true),
                    CommunityCode = table.Column<long>(type: "bigint", nullable: false),
                    GridId = table.Column<Guid>(type: "uuid", nullable: true),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: true),
                    VisitorId = table.Column<Guid>(type: "uuid", nullable: true),
                    HouseholdId = table.Column<Guid>(type: "uuid", nullable: true),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    Verdict = table.Column<int>(type: "integer", nullable: false),
                    Reasons = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Temperature = table.Column<decimal>(type: "numeric(4,1)", precision: 4, scale: 1, nullable: true),
                    Mask = table.Column<bool>(type: "boolean", nullable: true),
                    OriginCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    VehicleId = table.Column<Guid>(type: "uuid", nullable: true),
                    PassCardTripId = table.Column<Guid>(type: "uuid", nullable: true),
                    WasOffline = table.Column<bool>(type: "boolean", nullable: false),
                    OperatorId = table.Column<Guid>(type: "uuid", nullable: true),
                    OperatorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Passages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PassCardRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityCode = table.Column<long>(type: "bigint", nullable: false),
                    PersonsPerWindow = table.Column<int>(type: "integer", nullable: false),
                    WindowDays = table.Column<int>(type: "integer", nullable: false),
                    MaxHoursOut = table.Column<int>(type: "integer", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    UpdatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PassCardRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PassCards",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityCode = table.Column<long>(type: "bigint", nullable: false),
                    GridId = table.Column<Guid>(type: "uuid", nullable: true),
                    Serial = table.Column<int>(type: "integer", nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PassCards", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PassCardTrips",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityCode = table.Column<long>(type: "bigint", nullable: false),
                    GridId = table.Column<Guid>(type: "uuid", nullable: true),
                    RuleId = table.Column<Guid>(type: "uuid", nullable: false),
                    Window = table.Column<int>(type: "integer", nullable: false),
                    Slot = table.Column<int>(type: "integer", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: true),
                    ExitPassageId = table.Column<Guid>(type: "uuid", nullable: false),
                    ExitAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DueBackAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReturnPassageId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReturnAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PassCardTrips", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PersonCodes",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Serial = table.Column<int>(type: "integer", nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RevokedReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CommunityCode = table.Column<long>(type: "bigint", nullable: false),
                    GridId = table.Column<Guid>(type: "uuid", nullable: true),
                    ContactName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ContactPhone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Places", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SigningKeys",
                columns: table => new
                {
                    Purpose = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SigningKeys", x => x.Purpose);
                });

            migrationBuilder.CreateTable(
                name: "Vehicles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CheckpointId = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityCode = table.Column<long>(type: "bigint", nullable: false),
                    Plate = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Occupants = table.Column<int>(type: "integer", nullable: false),
                    OriginCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    Destination = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ThroughTraffic = table.Column<bool>(type: "boolean", nullable: false),
                    CommitmentSignerName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    CommitmentSignerPhone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    CommitmentSignature = table.Column<string>(type: "character varying(200000)", maxLength: 200000, nullable: true),
                    CommitmentSignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    OperatorId = table.Column<Guid>(type: "uuid", nullable: true),
                    OperatorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Vehicles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Visitors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DocumentType = table.Column<int>(type: "integer", nullable: false),
                    DocumentNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    OriginCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Destination = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CommunityCode = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Visitors", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CheckpointDuties",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CheckpointId = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityCode = table.Column<long>(type: "bigint", nullable: false),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    AccountName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SignedInAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SignedOutAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
