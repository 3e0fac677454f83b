//! Helpers for integration tests: a temp dir per test and a way to run the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temp directory holding one test's database and files.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The test's database path.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("trawl.db")
    }

    /// A path inside the test's dir.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A command for the trawl binary with `--db` set to this test's database.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_trawl"));
        cmd.args(args)
            .arg("--db")
            .arg(self.db())
            .env_remove("TRAWL_DB");
        cmd
    }

    /// Runs trawl and returns its output.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run trawl")
    }

    /// Runs trawl, asserts success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "trawl {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs trawl, asserts it exits with `code`, returns stdout.
    pub fn ok_code(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "trawl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs `trawl generate` into this test's dir `gen/` and returns that dir.
    pub fn generate(&self, seed: &str, companies: &str, shipments: &str) -> PathBuf {
        let out = self.path("gen");
        self.bare(&[
            "generate",
            "--out",
            s(&out),
            "--seed",
            seed,
            "--companies",
            companies,
            "--shipments",
            shipments,
        ]);
        out
    }

    /// Runs trawl without `--db` (commands that use no store: generate), asserts success.
    pub fn bare(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_trawl"))
            .args(args)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "trawl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Opens the test's database directly.
    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).expect("open db")
    }

    /// `SELECT count(*)` of a table or a `FROM …` clause.
    pub fn count(&self, from: &str) -> i64 {
        self.conn()
            .query_row(&format!("SELECT count(*) FROM {from}"), [], |r| r.get(0))
            .unwrap()
    }
}

/// A fixture under tests/data/.
pub fn data(rel: &str) -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "data", rel]
        .iter()
        .collect();
    p.to_string_lossy().into_owned()
}

/// A file under sample-data/.
pub fn sample(name: &str) -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "sample-data", name]
        .iter()
        .collect();
    p.to_string_lossy().into_owned()
}

/// sample-data's input files, in the order ingest needs them (parties before the links).
pub fn sample_files() -> Vec<String> {
    [
        "parties.csv",
        "relationships.csv",
        "screening.csv",
        "entities.ftm.json",
        "shipments.csv",
    ]
    .map(sample)
    .to_vec()
}

impl Env {
    /// A fresh store with sample-data ingested and resolved.
    pub fn sample_resolved() -> Env {
        let env = Env::new();
        let files = sample_files();
        let mut args = vec!["ingest"];
        args.extend(files.iter().map(String::as_str));
        env.ok(&args);
        env.ok(&["resolve"]);
        env
    }
}

/// Path as &str for argument lists.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
