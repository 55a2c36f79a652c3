-- CreateEnum
CREATE TYPE "ConsentPurpose" AS ENUM ('LEARNING', 'ETHNICITY');

-- CreateEnum
CREATE TYPE "ConsentChannel" AS ENUM ('SELF', 'STAFF', 'IMPORT', 'VNEID', 'SEED');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "registeredCommuneCode" TEXT,
ADD COLUMN     "registeredProvinceCode" TEXT;

-- CreateTable
CREATE TABLE "Consent" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "purpose" "ConsentPurpose" NOT NULL,
    "noticeVersion" TEXT NOT NULL,
    "channel" "ConsentChannel" NOT NULL,
    "givenById" TEXT,
    "givenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Consent_userId_purpose_idx" ON "Consent"("userId", "purpose");

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Registrations already counted were counted in the commune the person has now (no move existed).
-- Staff appointed on /province/staff with a new account were never counted; they get the column too
-- (they cannot be told apart here), which only a raw recount (tests/utils/load-check.ts) reads.
UPDATE "User" SET "registeredCommuneCode" = "communeCode", "registeredProvinceCode" = "provinceCode" WHERE "communeCode" IS NOT NULL;
