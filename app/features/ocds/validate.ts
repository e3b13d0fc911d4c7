import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import packageSchema from "./schema/release-package-schema.json";
import releaseSchema from "./schema/release-schema.json";

/**
 * A validator for OCDS 1.1 release packages against the official schema (draft-04). Used by the
 * tests; the OCDS schema carries annotation keywords ajv does not know, so strict mode is off.
 */
export function releasePackageValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(releaseSchema as object);
  return ajv.compile(packageSchema as object);
}
