/**
 * Checks HTTP requests against OpenAPI 3.0 documents the way a strict server
 * would, so a test double can refuse what the real service would refuse.
 *
 * Routing and the wire format (form values are strings, arrays are repeated
 * keys) are handled here; the values themselves are checked by
 * `@cfworker/json-schema` against the operation's parameters and request
 * body, converted once per operation from OpenAPI's schema dialect to JSON
 * Schema and kept. Nothing here is specific to Twilio.
 */
export { CompiledOperation } from './openapi/operation';
export { OpenApiRouter } from './openapi/router';
export type {
	CheckInput,
	Finding,
	OasDocument,
	OasOperation,
	OasParameter,
	OasSchema,
	Overlay,
	Overlays,
	ParameterLocation,
	RouteResult,
	WireValues,
} from './openapi/types';
