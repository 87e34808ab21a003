/**
 * Stands in for the SDK's Ajv validator in the bundle (scripts/build.mjs):
 * Tandem passes its own validator (connection.ts), so Ajv would be 130 KB
 * never run. Constructing this is a bug: it says so.
 */
export class AjvJsonSchemaValidator {
  constructor() {
    throw new Error('Tandem does not bundle Ajv: pass jsonSchemaValidator to the MCP client');
  }
}
