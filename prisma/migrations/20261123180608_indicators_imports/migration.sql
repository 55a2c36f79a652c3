-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('PREVIEW', 'RUNNING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "PeriodStat" (
    "communeCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "courseId" TEXT NOT NULL DEFAULT '',
    "registered" INTEGER NOT NULL DEFAULT 0,
    "enrolments" INTEGER NOT NULL DEFAULT 0,
    "completions" INTEGER NOT NULL DEFAULT 0,
    "certificates" INTEGER NOT NULL DEFAULT 0,
    "basicSkills" INTEGER NOT NULL DEFAULT 0,
    "active" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PeriodStat_pkey" PRIMARY KEY ("communeCode","period","courseId")
);

-- CreateTable
CREATE TABLE "ActivePeriod" (
    "userId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "sex" TEXT NOT NULL DEFAULT '',
    "ageBand" TEXT NOT NULL DEFAULT '',
    "ethnicGroup" TEXT NOT NULL DEFAULT '',
    "learnerGroup" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ActivePeriod_pkey" PRIMARY KEY ("userId","period")
);

-- CreateTable
CREATE TABLE "ImportJob" (
    "id" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "rows" JSONB NOT NULL,
    "totalRows" INTEGER NOT NULL,
    "newRows" INTEGER NOT NULL,
    "presentRows" INTEGER NOT NULL,
    "invalidRows" INTEGER NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'PREVIEW',
    "imported" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ImportJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PeriodStat_provinceCode_period_idx" ON "PeriodStat"("provinceCode", "period");

-- CreateIndex
CREATE INDEX "ActivePeriod_provinceCode_period_idx" ON "ActivePeriod"("provinceCode", "period");

-- CreateIndex
CREATE INDEX "ActivePeriod_communeCode_period_idx" ON "ActivePeriod"("communeCode", "period");

-- CreateIndex
CREATE INDEX "ImportJob_communeCode_createdAt_idx" ON "ImportJob"("communeCode", "createdAt");


-- Backfill the period rollup from the daily one, and activity from MonthlyActivity, so existing
-- installations keep their figures (ADR 006).
INSERT INTO "PeriodStat" ("communeCode","provinceCode","period","courseId","registered","enrolments","completions","certificates","basicSkills")
SELECT "communeCode", MIN("provinceCode"), p.period, "courseId", SUM("registered"), SUM("enrolments"), SUM("completions"), SUM("certificates"), SUM("basicSkills")
FROM "DailyStat" d
CROSS JOIN LATERAL (VALUES (to_char(d."day", 'YYYY-MM')), (to_char(d."day", 'YYYY-"Q"Q')), (to_char(d."day", 'YYYY'))) AS p(period)
GROUP BY "communeCode", p.period, "courseId";

INSERT INTO "ActivePeriod" ("userId","period","communeCode","provinceCode")
SELECT DISTINCT ON (m."userId", p.period) m."userId", p.period, m."communeCode", m."provinceCode"
FROM "MonthlyActivity" m
CROSS JOIN LATERAL (VALUES (to_char(m."month", 'YYYY-MM')), (to_char(m."month", 'YYYY-"Q"Q')), (to_char(m."month", 'YYYY'))) AS p(period)
ORDER BY m."userId", p.period, m."month";

INSERT INTO "PeriodStat" ("communeCode","provinceCode","period","courseId","active")
SELECT "communeCode", MIN("provinceCode"), "period", '', COUNT(*) FROM "ActivePeriod" GROUP BY "communeCode", "period"
ON CONFLICT ("communeCode","period","courseId") DO UPDATE SET "active" = EXCLUDED."active";

-- DropTable
DROP TABLE "MonthlyActivity";
