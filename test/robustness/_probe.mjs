import { createKraServices } from '/work/main/packages/language/out/index.js';
import { EmptyFileSystem, URI } from 'langium';
const n = Number(process.argv[2]);
const text = "metric m { unit count }\nkpi k \"K\" {\n  formula "+"(".repeat(n)+"m"+")".repeat(n)+"\n  unit count\n}\n";
const { shared, Kra } = createKraServices(EmptyFileSystem);
await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: 'file:///ws' }]);
let doc;
try { doc = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse('file:///ws/a.kra')); console.log('parsed', doc.parseResult.parserErrors.length, doc.parseResult.lexerErrors.length); } catch (e) { console.log('parse fail', e.stack.split('\n').slice(0,8).join('\n')); process.exit(); }
shared.workspace.LangiumDocuments.addDocument(doc);
try { await shared.workspace.DocumentBuilder.build([doc], { validation: { categories: ['built-in','fast','slow'] } }); console.log('built', doc.diagnostics.length); } catch (e) { console.log('build fail', e.stack.split('\n').slice(0,12).join('\n')); }
try { const f = Kra.lsp.Formatter.formatText(doc); console.log('fmt', f?.length); } catch (e) { console.log('fmt fail', e.stack.split('\n').slice(0,8).join('\n')); }
