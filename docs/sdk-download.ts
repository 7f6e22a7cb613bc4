// The TypeScript SDK as a download of the docs site: the build packs client/ (as npm publishes it) into
// dist/downloads/, and the docs' install line points there. Until the SDK is on a registry, this tarball is how a
// partner installs it: `npm install <docs origin>/docs/downloads/rizzit-open-api-client-<version>.tgz`.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { packSdk, sdkTarballName } from "../client/scripts/pack.ts";

/** Where the kit serves these docs (`npm start`: the sandbox serves docs/dist/ under /docs/). */
export const DOCS_ORIGIN = "http://127.0.0.1:4010";

/** The SDK tarball's path under the docs site's root. */
export const SDK_DOWNLOAD_PATH = `/docs/downloads/${sdkTarballName()}`;

/** The install line the docs show: npm installs a package straight from a tarball's URL. */
export const SDK_INSTALL_COMMAND = `npm install ${DOCS_ORIGIN}${SDK_DOWNLOAD_PATH}`;

/** Packs the SDK into `downloadsDir` (the docs build's dist/downloads/) under its npm file name. */
export async function packSdkInto(downloadsDir: string): Promise<string> {
  const packed = await packSdk(downloadsDir);
  try {
    const target = join(downloadsDir, sdkTarballName());
    if (packed.tarball !== target) copyFileSync(packed.tarball, target);
    return target;
  } finally {
    packed.cleanup();
  }
}
