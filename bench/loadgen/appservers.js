'use strict';
// Herald's WAR on the app servers the tests run it on (Payara Micro 6 and 7, WildFly), for the
// benchmark: each started as the container tests start it, with server-config/ applied the same
// way (src/test/payara/tls-preboot.sh, src/test/wildfly/apply-server-config.sh), from the jars and
// zips Maven already downloaded for those tests. See docs/benchmarks.md, "The app servers".
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const POM = fs.readFileSync(path.join(ROOT, 'pom.xml'), 'utf8');
const M2 = process.env.M2_REPO || path.join(os.homedir(), '.m2', 'repository');
// a throwaway password: the keystores server-config's TLS files need are made per start
const TLS_PASSWORD = 'herald-bench-only';

/** A property of the pom, so that the bench runs the servers the tests run. */
function pomProperty(name) {
  const m = POM.match(new RegExp(`<${name.replace(/\./g, '\\.')}>([^<]+)</`));
  if (!m) {
    throw new Error(`pom.xml has no <${name}>`);
  }
  return m[1].trim();
}

const SERVERS = {
  payara6: { kind: 'payara', version: pomProperty('payara6.version'), javaHome: process.env.JAVA_HOME_PAYARA6 },
  // Payara 7 needs JDK 21+: the pom's choice, as for its tests
  payara7: { kind: 'payara', version: pomProperty('payara7.version'),
    javaHome: process.env.JAVA_HOME_PAYARA7 || pomProperty('payara7.java.home') },
  wildfly: { kind: 'wildfly', version: pomProperty('wildfly.version'), javaHome: process.env.JAVA_HOME_WILDFLY },
};

/** payara6, payara7, wildfly, and any of them with a tag (payara6-old: the WAR in env WAR_old). */
function parse(name) {
  const [base, tag] = name.split(/-(.*)/s);
  return SERVERS[base] ? { base, tag, ...SERVERS[base] } : null;
}

function isAppServer(name) {
  return parse(name) !== null;
}

/** The WAR a server runs: WAR_<tag> for a tagged one, else HERALD_WAR or target/herald.war. */
function warFor(server) {
  const war = server.tag ? process.env['WAR_' + server.tag.replace(/\W/g, '_')]
    : process.env.HERALD_WAR || path.join(ROOT, 'target', 'herald.war');
  if (!war || !fs.existsSync(war)) {
    throw new Error(`no WAR for ${server.base}${server.tag ? '-' + server.tag : ''}: ${war || 'set WAR_' + server.tag}`);
  }
  return war;
}

/**
 * An artifact from the local Maven repository (where the tests' build got it), or {@code copy} in
 * target/ (where it copies it), or, if neither is there, downloaded by Maven.
 */
function artifact(group, artifactId, version, ext, copy) {
  const inRepo = path.join(M2, ...group.split('.'), artifactId, version, `${artifactId}-${version}.${ext}`);
  const found = [inRepo, copy && path.join(ROOT, 'target', copy)].find((f) => f && fs.existsSync(f));
  if (found) {
    return found;
  }
  const coords = `${group}:${artifactId}:${version}:${ext}`;
  const r = spawnSync('mvn', ['-B', '-q', 'dependency:get', `-Dartifact=${coords}`], { stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(inRepo)) {
    throw new Error(`cannot find or download ${coords}`);
  }
  return inRepo;
}

function javaBin(server, tool) {
  return server.javaHome ? path.join(server.javaHome, 'bin', tool) : tool;
}

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`);
  }
}

function javaHomeEnv(server) {
  return server.javaHome ? { JAVA_HOME: server.javaHome } : {};
}

/** GET until the answer is 200, or fail after {@code ms}. */
function waitHttp(url, child, ms) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const again = () => {
      if (child.exitCode !== null) {
        reject(new Error(`the server exited (${child.exitCode}) before ${url} answered`));
      } else if (Date.now() > deadline) {
        reject(new Error(`${url} did not answer 200 within ${ms / 1000} s`));
      } else {
        setTimeout(once, 500);
      }
    };
    const once = () => {
      const req = http.get(url, (res) => {
        res.resume();
        if (res.statusCode === 200) {
          resolve();
        } else {
          again();
        }
      });
      req.on('error', again);
      req.setTimeout(5000, () => req.destroy());
    };
    once();
  });
}

/** Payara Micro as arquillian.xml starts it: the tests' pre-boot file, server-config's post-boot file. */
function startPayara(server, port, env, javaOpts, dir) {
  const jar = artifact('fish.payara.extras', 'payara-micro', server.version, 'jar',
    `payara-micro-${server.version}.jar`);
  // src/test/payara/preboot.asadmin (loopback, no Hazelcast) + server-config/payara/pre-boot-commands
  // .asadmin + tls.asadmin with a keystore of its own and a free port, exactly as the tests' build
  run('bash', [path.join(ROOT, 'src', 'test', 'payara', 'tls-preboot.sh'), ROOT, dir],
    { TLS_KEYSTORE_PASSWORD: TLS_PASSWORD, ...javaHomeEnv(server) });
  const war = path.join(dir, 'herald.war');
  fs.copyFileSync(warFor(server), war);
  return spawn(javaBin(server, 'java'), [...javaOpts, '-jar', jar, '--nocluster', '--disablephonehome',
    '--port', String(port), '--rootdir', path.join(dir, 'root'),
    '--prebootcommandfile', path.join(dir, 'preboot.asadmin'),
    '--postbootcommandfile', path.join(ROOT, 'server-config', 'payara', 'post-boot-commands.asadmin'),
    '--deploy', war], { env: { ...env, TLS_KEYSTORE_PASSWORD: TLS_PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * WildFly as the tests run it: a fresh copy of the distribution (not target/'s, which a test run
 * may be using), server-config/wildfly applied offline by the tests' script, the WAR in
 * deployments/, every port moved by an offset so that HTTP is on {@code port}.
 */
function startWildfly(server, port, env, javaOpts, dir) {
  const zip = artifact('org.wildfly', 'wildfly-dist', server.version, 'zip');
  run('unzip', ['-q', zip, '-d', dir]);
  const home = path.join(dir, `wildfly-${server.version}`);
  run('bash', [path.join(ROOT, 'src', 'test', 'wildfly', 'apply-server-config.sh'), home,
    path.join(ROOT, 'server-config', 'wildfly'), dir], { TLS_KEYSTORE_PASSWORD: TLS_PASSWORD, ...javaHomeEnv(server) });
  fs.copyFileSync(warFor(server), path.join(home, 'standalone', 'deployments', 'herald.war'));
  // its own process group: standalone.sh runs java as its child, and both must go at the end
  return spawn(path.join(home, 'bin', 'standalone.sh'), [`-Djboss.socket.binding.port-offset=${port - 8080}`], {
    env: { ...env, ...javaHomeEnv(server), TLS_KEYSTORE_PASSWORD: TLS_PASSWORD, JBOSS_JAVA_SIZING: javaOpts.join(' ') },
    stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

/** The java process under {@code pid} (itself, or standalone.sh's child). */
function javaPid(pid) {
  const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  if (comm === 'java') {
    return pid;
  }
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of children ? children.split(' ') : []) {
      const found = javaPid(Number(child));
      if (found) {
        return found;
      }
    }
  }
  return null;
}

/**
 * Starts {@code name} with Herald's WAR, listening on {@code port}; resolves once Herald's health
 * check answers. {@code env}: Herald's settings (server-config/ pins its four as system properties
 * over them, as in production).
 */
async function start(name, port, env, javaOpts) {
  const server = parse(name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const child = server.kind === 'payara' ? startPayara(server, port, env, javaOpts, dir)
    : startWildfly(server, port, env, javaOpts, dir);
  const logFile = path.join(dir, 'server.log');
  const out = fs.createWriteStream(logFile);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const s = { kind: name, port, child, logFile, dir, group: server.kind === 'wildfly',
    jcmd: javaBin(server, 'jcmd'), url: `ws://127.0.0.1:${port}/herald/ws/push` };
  try {
    // Payara Micro takes 20-60 s to boot on a busy machine, WildFly 10-30 s
    await waitHttp(`http://127.0.0.1:${port}/herald/api/health`, child, 240000);
    s.pid = javaPid(child.pid);
    if (!s.pid) {
      throw new Error('no java process under ' + child.pid);
    }
  } catch (e) {
    await stop(s);
    throw new Error(`${name}: ${e.message}; log kept in ${s.logFile}`);
  }
  return s;
}

/** Kills the server (and standalone.sh's java) and removes its copy, unless BENCH_KEEP is set. */
async function stop(s) {
  if (s.child.exitCode === null) {
    const exited = new Promise((r) => s.child.once('exit', r));
    try {
      process.kill(s.group ? -s.child.pid : s.child.pid, 'SIGKILL');
    } catch (e) {
      // already gone
    }
    await exited;
  }
  if (s.pid && s.pid !== s.child.pid) {
    // the java process of standalone.sh, if the group kill missed it
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch (e) {
      // already gone
    }
  }
  if (!process.env.BENCH_KEEP) {
    const keep = path.join(os.tmpdir(), `bench-${s.kind}-${s.port}.log`);
    fs.copyFileSync(s.logFile, keep);
    s.logFile = keep;
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
}

module.exports = { isAppServer, start, stop };
