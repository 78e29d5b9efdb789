import { createKraServices } from '/work/main/packages/language/out/index.js';
import { EmptyFileSystem, URI } from 'langium';
const [kind, nStr] = process.argv.slice(2); const n = Number(nStr);
const body = {
  paren: () => "(".repeat(n)+"m"+")".repeat(n),
  neg: () => "-".repeat(n)+"m",
  ifs: () => "if m > 0 then ".repeat(n)+"m"+" else 0".repeat(n),
  elif: () => "if m > 0 then 1 else ".repeat(n)+"0",
  chain: () => Array(n).fill("m").join(" + "),
  call: () => "max(".repeat(n)+"m"+")".repeat(n),
}[kind]();
const text = "metric m { unit count }\nkpi k \"K\" {\n  formula "+body+"\n  unit count\n}\n";
const { shared, Kra } = createKraServices(EmptyFileSystem);
await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: 'file:///ws' }]);
let doc; let t = Date.now();
try { doc = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse('file:///ws/a.kra')); console.log('parsed', doc.parseResult.parserErrors.length, doc.parseResult.lexerErrors.length, Date.now()-t); } catch (e) { console.log('parse fail', e.message); process.exit(); }
shared.workspace.LangiumDocuments.addDocument(doc);
try { await shared.workspace.DocumentBuilder.build([doc], { validation: { categories: ['built-in','fast','slow'] } }); console.log('built', doc.diagnostics.length); } catch (e) { console.log('build fail', e.stack.split('\n').slice(0,6).join('\n')); }
try { const f = Kra.lsp.Formatter.formatText(doc); console.log('fmt', f?.length); } catch (e) { console.log('fmt fail', e.stack.split('\n').slice(0,4).join('\n')); }
const { compileWorkspace, validateModel } = await import('/work/main/packages/compiler/out/src/index.js');
try { const m = compileWorkspace({ documents: shared.workspace.LangiumDocuments.all.toArray(), root: URI.parse('file:///ws') }); const s = JSON.stringify(m); console.log('compiled', s.length, validateModel(m).length); } catch (e) { console.log('compile fail', e.stack.split('\n').slice(0,4).join('\n')); }
