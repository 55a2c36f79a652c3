-- CreateEnum
CREATE TYPE "RevocationReason" AS ENUM ('ISSUED_IN_ERROR', 'WRONG_PERSON', 'HOLDER_REQUEST', 'FRAUD', 'OTHER');

-- The officer's free text stays, renamed, as an internal note (it once held a resident's phone and
-- village, and the public page printed it); publicly a certificate revoked before this migration
-- says "other reason". Edited by hand: prisma migrate diff would drop the column and lose the text.
ALTER TABLE "Certificate" RENAME COLUMN "revokedReason" TO "revokedNote";
ALTER TABLE "Certificate" ADD COLUMN "revocationReason" "RevocationReason";
UPDATE "Certificate" SET "revocationReason" = 'OTHER' WHERE "revokedAt" IS NOT NULL;
