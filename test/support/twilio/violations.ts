/** What a request did that Twilio would refuse: recorded on the request and the server, with Twilio's code and status. */
import type { CompiledOperation, Finding, OpenApiRouter, WireValues } from '../openapi';
import { CROSS_PARAMETER_RULES, type RuleFinding } from './rules';
import type { SpecViolation, TwilioRequest, TwilioServerOptions } from './types';
import { parseJson } from './wire';

/** Twilio's own codes for the schema findings it documents one for; 20001 (invalid parameter) otherwise. */
const FINDING_CODES: Readonly<Record<string, number>> = {
	'CreateCall:To:required': 21201,
	'CreateCall:From:required': 21213,
	'CreateMessage:To:required': 21604,
	'CreateMessage:MediaUrl:maxItems': 21623,
	'CreateMessage:Body:maxLength': 21617,
};

function codeAndStatus(
	operationId: string | undefined,
	finding: Finding,
): { code: number; status: number } {
	if (finding.keyword === 'unknown-path') return { code: 20404, status: 404 };
	if (finding.keyword === 'unknown-method') return { code: 20004, status: 405 };
	return {
		code: FINDING_CODES[`${operationId}:${finding.parameter}:${finding.keyword}`] ?? 20001,
		status: 400,
	};
}

/**
 * Routes a request and records what the spec, and Twilio's documented rules,
 * refuse in it; the operation, when the path and method name one.
 */
export function checkRequest(
	router: OpenApiRouter,
	options: TwilioServerOptions,
	violations: SpecViolation[],
	request: TwilioRequest,
	{
		query,
		formValues,
		contentType,
	}: { query: WireValues; formValues: WireValues; contentType: string | undefined },
): CompiledOperation | undefined {
	const route = router.route(request.method, request.path);
	let operation: CompiledOperation | undefined;
	if (route.kind === 'operation') {
		operation = route.operation;
		request.operationId = operation.id;
		request.pathParams = route.pathParams;
		let body: unknown = formValues;
		if (contentType === 'application/json') body = parseJson(request.rawBody);
		recordFindings(
			violations,
			request,
			operation.check({
				pathParams: route.pathParams,
				query,
				headers: request.headers,
				contentType,
				body,
			}),
		);
		const rules =
			options.documentedRules === false ? undefined : CROSS_PARAMETER_RULES[operation.id];
		for (const finding of rules?.(request.form) ?? []) recordRule(violations, request, finding);
	} else {
		recordFindings(violations, request, [
			route.kind === 'unknown-path'
				? {
						location: 'route',
						keyword: 'unknown-path',
						source: 'spec',
						message: `No path of Twilio's specs matches ${request.path}`,
					}
				: {
						location: 'route',
						keyword: 'unknown-method',
						source: 'spec',
						message: `${request.method} is not an operation of ${request.path} (the spec has ${route.allowed.join(', ')})`,
					},
		]);
	}
	return operation;
}

/** Records what the spec refuses in a request, with the code and status Twilio answers it with. */
export function recordFindings(
	violations: SpecViolation[],
	request: TwilioRequest,
	findings: Finding[],
): void {
	for (const finding of findings) {
		const { code, status } = codeAndStatus(request.operationId, finding);
		pushViolation(violations, request, {
			source: finding.source,
			location: finding.location,
			parameter: finding.parameter,
			message: finding.message,
			code,
			status,
		});
	}
}

export function recordRule(
	violations: SpecViolation[],
	request: TwilioRequest,
	finding: RuleFinding,
): void {
	pushViolation(violations, request, {
		source: 'documented',
		location: 'body',
		parameter: finding.parameter,
		message: finding.message,
		code: finding.code,
		status: 400,
	});
}

function pushViolation(
	violations: SpecViolation[],
	request: TwilioRequest,
	violation: Omit<SpecViolation, 'request' | 'operationId'>,
): void {
	const full: SpecViolation = {
		request: `${request.method} ${request.path}`,
		operationId: request.operationId,
		...violation,
	};
	request.violations.push(full);
	violations.push(full);
}
