// The tests' command runner: a process that loads the built `kra` once and then runs the
// commands its parent sends it, one at a time, each as `kra` would run it (test/support/cli.ts).
//
// For each command it sets the working folder and the environment, captures what the command
// writes to standard output and standard error, and answers with the exit code `main` returned.
// Standard input is empty (/dev/null): a command that reads it runs in its own process instead.
import { mainModule } from '../../packages/cli/bin/main-module.js';

const { main } = await import(mainModule());

const stdoutWrite = process.stdout.write;
const stderrWrite = process.stderr.write;

/** Replaces `stream.write` with one that collects the text in `chunks`. */
function capture(stream, chunks) {
    stream.write = (chunk, encoding, callback) => {
        chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const done = typeof encoding === 'function' ? encoding : callback;
        if (typeof done === 'function') {
            process.nextTick(done);
        }
        return true;
    };
}

/** Sets `process.env` to exactly `env`. */
function setEnvironment(env) {
    for (const name of Object.keys(process.env)) {
        if (!(name in env)) {
            delete process.env[name];
        }
    }
    Object.assign(process.env, env);
}

const queue = [];
let running = false;

process.on('message', message => {
    queue.push(message);
    void next();
});

async function next() {
    if (running || queue.length === 0) {
        return;
    }
    running = true;
    const { id, args, cwd, env } = queue.shift();
    const stdout = [];
    const stderr = [];
    let code;
    try {
        setEnvironment(env);
        process.chdir(cwd);
        capture(process.stdout, stdout);
        capture(process.stderr, stderr);
        code = await main(args);
    } catch (error) {
        // `main` never throws; if it does, that is a finding for the test, as in a process.
        stderr.push(`${error instanceof Error ? error.stack : String(error)}\n`);
        code = 2;
    } finally {
        process.stdout.write = stdoutWrite;
        process.stderr.write = stderrWrite;
    }
    process.send({ id, code, stdout: stdout.join(''), stderr: stderr.join('') }, () => {
        running = false;
        void next();
    });
}

// The runner ends with the test worker that started it.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
