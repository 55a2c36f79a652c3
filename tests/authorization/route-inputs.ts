import path from 'node:path'
import ts from 'typescript'

/**
 * Every input a route file reads, found in its syntax tree and types rather than by matching its
 * text: the `$param`s of its file name and every `params.x` / `const { x } = params`, every
 * `.get('x')` / `.getAll('x')` / `.has('x')` (form data and query strings), and the fields of every
 * Zod schema it parses with (`Schema.safeParse(…)`, `.parse(…)`, `parseWithZod(…, { schema })`),
 * read from the schema's output type. Functions of the app the route hands its `request`, `form`,
 * `params` or search parameters to are read the same way (followed to their declaration, once each).
 * tests/integration/authorization-matrix.test.ts classifies each
 * name: an input that names a person makes the route one that "takes a person" (matrix `targets`).
 */
export function routeInputs(routesDir: string, files: readonly string[]): Map<string, Set<string>> {
	const config = ts.readConfigFile(path.join(process.cwd(), 'tsconfig.json'), ts.sys.readFile)
	const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, process.cwd())
	const full = files.map((f) => path.join(routesDir, f))
	const program = ts.createProgram(full, { ...parsed.options, noEmit: true })
	const checker = program.getTypeChecker()
	const out = new Map<string, Set<string>>()
	files.forEach((file, i) => {
		const source = program.getSourceFile(full[i]!)
		if (!source) throw new Error(`cannot read ${file}`)
		const names = new Set<string>([...file.matchAll(/\$(\w+)/g)].map((m) => m[1]!))
		const schemaFields = (schema: ts.Expression) => {
			const output = checker.getTypeAtLocation(schema).getProperty('_output')
			if (!output) return
			const type = checker.getTypeOfSymbolAtLocation(output, schema)
			// An object schema's fields (a schema of one string or number has none).
			if (type.flags & ts.TypeFlags.Object) for (const p of type.getProperties()) names.add(p.name)
		}
		const visited = new Set<ts.Node>()
		const INPUTS = new Set(['request', 'form', 'formData', 'params', 'searchParams'])
		const carriesInput = (e: ts.Expression) =>
			(ts.isIdentifier(e) && INPUTS.has(e.text)) || (ts.isPropertyAccessExpression(e) && e.name.text === 'searchParams')
		const follow = (call: ts.CallExpression) => {
			if (!call.arguments.some(carriesInput)) return
			let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression)
			if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
			for (const declaration of symbol?.declarations ?? []) {
				if (declaration.getSourceFile().fileName.includes('node_modules') || visited.has(declaration)) continue
				visited.add(declaration)
				visit(declaration)
			}
		}
		const visit = (node: ts.Node) => {
			const callee = node.parent !== undefined && ts.isCallExpression(node.parent) && node.parent.expression === node
			if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'params' && !callee) names.add(node.name.text)
			if (
				ts.isElementAccessExpression(node) &&
				ts.isIdentifier(node.expression) &&
				node.expression.text === 'params' &&
				ts.isStringLiteral(node.argumentExpression)
			)
				names.add(node.argumentExpression.text)
			if (
				ts.isVariableDeclaration(node) &&
				ts.isObjectBindingPattern(node.name) &&
				node.initializer &&
				ts.isIdentifier(node.initializer) &&
				node.initializer.text === 'params'
			)
				for (const e of node.name.elements) names.add(((e.propertyName ?? e.name) as ts.Identifier).text)
			if (ts.isCallExpression(node)) follow(node)
			if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
				const method = node.expression.name.text
				const [first] = node.arguments
				if (['get', 'getAll', 'has'].includes(method) && first && ts.isStringLiteralLike(first)) names.add(first.text)
				if (['safeParse', 'parse', 'safeParseAsync', 'parseAsync'].includes(method)) schemaFields(node.expression.expression)
			}
			if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'parseWithZod') {
				const options = node.arguments[1]
				if (options && ts.isObjectLiteralExpression(options))
					for (const p of options.properties) if (ts.isPropertyAssignment(p) && p.name.getText(source) === 'schema') schemaFields(p.initializer)
			}
			ts.forEachChild(node, visit)
		}
		visit(source)
		out.set(file, names)
	})
	return out
}
