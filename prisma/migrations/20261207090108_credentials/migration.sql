-- CreateTable
CREATE TABLE "credentials" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT,
    "secret" TEXT NOT NULL,
    "created_by" TEXT,
    "created_at" DATETIME NOT NULL,
    "rotated_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "credentials_name_key" ON "credentials"("name");
