-- CreateTable
CREATE TABLE "AuditSubject" (
    "auditId" BIGINT NOT NULL,
    "userId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,

    CONSTRAINT "AuditSubject_pkey" PRIMARY KEY ("auditId","userId")
);

-- CreateIndex
CREATE INDEX "AuditSubject_userId_auditId_idx" ON "AuditSubject"("userId", "auditId");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_createdAt_idx" ON "AuditLog"("actorId", "createdAt");

-- AddForeignKey
ALTER TABLE "AuditSubject" ADD CONSTRAINT "AuditSubject_auditId_fkey" FOREIGN KEY ("auditId") REFERENCES "AuditLog"("id") ON DELETE CASCADE ON UPDATE CASCADE;

