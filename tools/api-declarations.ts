/**
 * Prints an exported symbol as a `.d.ts` would declare it: signatures without bodies, initialisers or comments,
 * private members left out. Written types are printed as written; a type that is only inferred (a return type, a
 * constant's type) is asked of the checker. This asks the checker only about the declarations themselves, which
 * is far cheaper than emitting declaration files (that type-checks every function body of every file).
 */
import ts from 'typescript';

const f = ts.factory;
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
const TYPE_FLAGS = ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.UseSingleQuotesForStringLiteralType | ts.NodeBuilderFlags.MultilineObjectLiterals;

/** The declaration(s) of a symbol, one after the other, as `.d.ts` text. */
export function declarationText(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  const decls = symbol.declarations ?? [];
  const printed: string[] = [];
  for (const decl of decls) {
    const node = declarationNode(decl, decls, checker);
    if (node) printed.push(printer.printNode(ts.EmitHint.Unspecified, node, decl.getSourceFile()));
  }
  return [...new Set(printed)].join('\n');
}

function declarationNode(decl: ts.Declaration, all: readonly ts.Declaration[], checker: ts.TypeChecker): ts.Node | undefined {
  if (ts.isInterfaceDeclaration(decl)) {
    return f.updateInterfaceDeclaration(decl, undefined, decl.name, decl.typeParameters, decl.heritageClauses, decl.members);
  }
  if (ts.isTypeAliasDeclaration(decl)) return f.updateTypeAliasDeclaration(decl, undefined, decl.name, decl.typeParameters, decl.type);
  if (ts.isEnumDeclaration(decl)) return f.updateEnumDeclaration(decl, declare(decl), decl.name, decl.members);
  if (ts.isFunctionDeclaration(decl)) {
    if (decl.body && hasOverloads(all)) return undefined; // the implementation signature is not callable
    return f.createFunctionDeclaration(declare(decl), undefined, decl.name, decl.typeParameters,
      parameters(decl, checker), returnType(decl, checker), undefined);
  }
  if (ts.isVariableDeclaration(decl)) {
    const list = decl.parent;
    const type = decl.type ?? typeNode(checker.getTypeAtLocation(decl.name), decl, checker);
    return f.createVariableStatement([f.createModifier(ts.SyntaxKind.DeclareKeyword)],
      f.createVariableDeclarationList([f.createVariableDeclaration(decl.name, undefined, type)], list.flags & ts.NodeFlags.BlockScoped));
  }
  if (ts.isClassDeclaration(decl)) return classNode(decl, checker);
  if (ts.isModuleDeclaration(decl)) return f.updateModuleDeclaration(decl, declare(decl), decl.name, decl.body);
  return undefined;
}

function classNode(decl: ts.ClassDeclaration, checker: ts.TypeChecker): ts.ClassDeclaration {
  const modifiers = [f.createModifier(ts.SyntaxKind.DeclareKeyword), ...kept(decl.modifiers, [ts.SyntaxKind.AbstractKeyword])];
  const members: ts.ClassElement[] = [];
  const methods = decl.members.filter(ts.isMethodDeclaration);
  for (const m of decl.members) {
    if (isPrivate(m)) {
      // A private constructor still says the class cannot be created with `new`.
      if (ts.isConstructorDeclaration(m) && !members.some(ts.isConstructorDeclaration)) {
        members.push(f.createConstructorDeclaration([f.createModifier(ts.SyntaxKind.PrivateKeyword)], [], undefined));
      }
      continue;
    }
    if (ts.isConstructorDeclaration(m)) {
      for (const p of m.parameters) if (isParameterProperty(p)) members.push(parameterProperty(p, checker));
      if (m.body && decl.members.filter(ts.isConstructorDeclaration).length > 1) continue;
      members.push(f.createConstructorDeclaration(kept(m.modifiers, [ts.SyntaxKind.ProtectedKeyword]), parameters(m, checker), undefined));
    } else if (ts.isPropertyDeclaration(m)) {
      const type = m.type ?? typeNode(checker.getTypeAtLocation(m.name), m, checker);
      members.push(f.createPropertyDeclaration(memberModifiers(m), m.name, m.questionToken, type, undefined));
    } else if (ts.isMethodDeclaration(m)) {
      if (m.body && methods.filter((o) => o.name.getText() === m.name.getText()).length > 1) continue;
      members.push(f.createMethodDeclaration(memberModifiers(m), undefined, m.name, m.questionToken, m.typeParameters,
        parameters(m, checker), returnType(m, checker), undefined));
    } else if (ts.isGetAccessor(m)) {
      members.push(f.createGetAccessorDeclaration(memberModifiers(m), m.name, [], returnType(m, checker), undefined));
    } else if (ts.isSetAccessor(m)) {
      members.push(f.createSetAccessorDeclaration(memberModifiers(m), m.name, parameters(m, checker), undefined));
    } else if (ts.isIndexSignatureDeclaration(m)) {
      members.push(m);
    }
  }
  return f.createClassDeclaration(modifiers, decl.name, decl.typeParameters, decl.heritageClauses, members);
}

function hasOverloads(all: readonly ts.Declaration[]): boolean {
  return all.filter(ts.isFunctionDeclaration).length > 1;
}

function isPrivate(m: ts.ClassElement): boolean {
  if (m.name && ts.isPrivateIdentifier(m.name)) return true;
  return ts.canHaveModifiers(m) && (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.PrivateKeyword);
}

function isParameterProperty(p: ts.ParameterDeclaration): boolean {
  const mods = ts.getModifiers(p) ?? [];
  return mods.length > 0 && !mods.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
}

function parameterProperty(p: ts.ParameterDeclaration, checker: ts.TypeChecker): ts.PropertyDeclaration {
  const type = p.type ?? typeNode(checker.getTypeAtLocation(p), p, checker);
  const mods = kept(ts.getModifiers(p), [ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.ReadonlyKeyword]);
  return f.createPropertyDeclaration(mods, p.name as ts.Identifier, p.questionToken, type, undefined);
}

function memberModifiers(m: ts.ClassElement): ts.Modifier[] {
  return kept(ts.canHaveModifiers(m) ? ts.getModifiers(m) : undefined,
    [ts.SyntaxKind.StaticKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.ReadonlyKeyword, ts.SyntaxKind.AbstractKeyword]);
}

/** The parameters without default values (a default makes the parameter optional) and each with a type. */
function parameters(decl: ts.SignatureDeclaration, checker: ts.TypeChecker): ts.ParameterDeclaration[] {
  return decl.parameters.map((p) => {
    const type = p.type ?? typeNode(checker.getTypeAtLocation(p), p, checker);
    const optional = p.questionToken ?? (p.initializer ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined);
    return f.createParameterDeclaration(undefined, p.dotDotDotToken, p.name, optional, type, undefined);
  });
}

function returnType(decl: ts.SignatureDeclaration, checker: ts.TypeChecker): ts.TypeNode | undefined {
  if (decl.type) return decl.type;
  const signature = checker.getSignatureFromDeclaration(decl);
  return signature ? typeNode(checker.getReturnTypeOfSignature(signature), decl, checker) : undefined;
}

function typeNode(type: ts.Type, at: ts.Node, checker: ts.TypeChecker): ts.TypeNode | undefined {
  return checker.typeToTypeNode(type, at, TYPE_FLAGS);
}

function declare(decl: ts.Node): ts.Modifier[] {
  const rest = kept(ts.canHaveModifiers(decl) ? ts.getModifiers(decl) : undefined, [ts.SyntaxKind.ConstKeyword, ts.SyntaxKind.AsyncKeyword]);
  // `async` says how a function is written, not what it is: its return type already says Promise.
  return [f.createModifier(ts.SyntaxKind.DeclareKeyword), ...rest.filter((m) => m.kind !== ts.SyntaxKind.AsyncKeyword)];
}

function kept(modifiers: readonly ts.ModifierLike[] | undefined, kinds: readonly ts.SyntaxKind[]): ts.Modifier[] {
  return (modifiers ?? []).filter((m): m is ts.Modifier => kinds.includes(m.kind)).map((m) => f.createModifier(m.kind as ts.ModifierSyntaxKind));
}
