//! Pushes through one `ApnsClient` (one HTTP/2 connection) as fast as it
//! goes, and prints one line of JSON: pushes per second, the process's CPU
//! time (user + system) per push and its peak RSS. For `interop/bench/run.sh`,
//! beside the Go and Python clients that print the same line.
//!
//! ```text
//! cargo run -p mdm-push-cert-apns --release --example bench -- URL CA CERT KEY TOKENS TOTAL CONCURRENCY
//! cargo run -p mdm-push-cert-apns --release --example bench -- URL CA CERT KEY TOKENS idle N
//! ```
//!
//! The second form measures memory per connection instead: the RSS with one
//! idle connection open, then with N (N clients, one push each), and the
//! difference per connection. `BENCH_RUNTIME=current_thread` runs on one
//! thread instead of tokio's multi-thread runtime (a worker per core).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use mdm_push_cert::apns::{ApnsRoots, DeviceToken, Endpoint, PushMagic};
use mdm_push_cert::{PushCertificate, PushIdentity};
use mdm_push_cert_apns::ApnsClient;

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 7 {
        return Err("usage: bench URL CA CERT KEY TOKENS TOTAL|idle CONCURRENCY|N".into());
    }
    let runtime = match std::env::var("BENCH_RUNTIME").as_deref() {
        Ok("current_thread") => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
        _ => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?,
    };
    runtime.block_on(run(args))
}

/// The client's name in the JSON line: the crate, and the runtime when it
/// is not the default.
fn name() -> &'static str {
    match std::env::var("BENCH_RUNTIME").as_deref() {
        Ok("current_thread") => "mdm-push-cert-apns/current_thread",
        _ => "mdm-push-cert-apns",
    }
}

fn client(args: &[String]) -> Result<ApnsClient, Error> {
    let certificate = PushCertificate::parse(&std::fs::read(&args[2])?)?;
    let key = mdm_push_cert::PrivateKey::parse(&std::fs::read(&args[3])?)?;
    let identity = PushIdentity::new(certificate, key)?;
    let roots = ApnsRoots::from_pem(&std::fs::read(&args[1])?)?;
    Ok(ApnsClient::builder(&identity)
        .endpoint(Endpoint::custom(&args[0])?)
        .roots(roots)
        .build()?)
}

async fn run(args: Vec<String>) -> Result<(), Error> {
    let tokens: Vec<DeviceToken> = std::fs::read_to_string(&args[4])?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().parse())
        .collect::<Result<_, _>>()?;
    if tokens.is_empty() {
        return Err("no tokens".into());
    }
    let magic: PushMagic = "5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F".parse()?;

    if args[5] == "idle" {
        let n: usize = args[6].parse()?;
        let mut clients = Vec::new();
        let mut rss = Vec::new();
        for _ in 0..n.max(1) {
            let c = client(&args)?;
            let outcome = c.push_now(tokens[0].clone(), magic.clone()).await;
            if outcome.code() != "delivered" {
                return Err(format!("idle setup push: {}", outcome.code()).into());
            }
            clients.push(c);
            rss.push(status_kb("VmRSS:"));
        }
        let first = rss[0];
        let last = rss[rss.len() - 1];
        let per = (last - first) as f64 / (n.max(2) - 1) as f64;
        println!(
            "{{\"client\":\"{}\",\"mode\":\"idle\",\"connections\":{n},\"rss_kb_1\":{first},\"rss_kb_n\":{last},\"kb_per_connection\":{per:.1}}}",
            name()
        );
        return Ok(());
    }

    let total: usize = args[5].parse()?;
    let concurrency: usize = args[6].parse()?;
    let client = client(&args)?;
    let tokens = Arc::new(tokens);
    let next = Arc::new(AtomicUsize::new(0));
    let delivered = Arc::new(AtomicUsize::new(0));

    // One push first, untimed: the connection (TCP, TLS, HTTP/2 settings)
    // is open before the clock starts, as in the Go and Python clients.
    let warm = client.push_now(tokens[0].clone(), magic.clone()).await;
    if warm.code() != "delivered" {
        return Err(format!("warm-up push: {}", warm.code()).into());
    }
    let cpu0 = cpu_seconds()?;
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (client, tokens, next, delivered, magic) = (
            client.clone(),
            Arc::clone(&tokens),
            Arc::clone(&next),
            Arc::clone(&delivered),
            magic.clone(),
        );
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let token = tokens[i % tokens.len()].clone();
                if client.push_now(token, magic.clone()).await.code() == "delivered" {
                    delivered.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds()? - cpu0;
    let delivered = delivered.load(Ordering::Relaxed);
    println!(
        "{{\"client\":\"{}\",\"pushes\":{total},\"concurrency\":{concurrency},\"delivered\":{delivered},\"wall_s\":{wall:.3},\"pushes_per_s\":{:.0},\"cpu_s\":{cpu:.3},\"cpu_us_per_push\":{:.1},\"peak_rss_kb\":{},\"connections\":{}}}",
        name(),
        total as f64 / wall,
        cpu * 1e6 / total as f64,
        status_kb("VmHWM:"),
        client.open_connections(),
    );
    Ok(())
}

/// User + system CPU time of this process so far, from /proc/self/stat
/// (fields 14 and 15, in clock ticks of 1/100 s on Linux).
fn cpu_seconds() -> Result<f64, Error> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').ok_or("/proc/self/stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11).ok_or("utime")?.parse()?;
    let stime: f64 = fields.get(12).ok_or("stime")?.parse()?;
    Ok((utime + stime) / 100.0)
}

/// A `kB` line of /proc/self/status (`VmRSS:`, `VmHWM:`), 0 if absent.
fn status_kb(field: &str) -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
