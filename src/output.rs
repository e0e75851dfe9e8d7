//! Writing results where the user asked, without ever losing data: to
//! standard output, or to a file written whole or not at all.
//!
//! A regular file (or a name not there yet) is written beside itself in a
//! temporary file that is renamed over it, keeping an existing file's mode
//! (and owner, when the process may set it); a symbolic link is followed and
//! its target replaced, not the link. Anything else (a device such as
//! `/dev/null`, `/dev/stdout` or `/dev/full`, a FIFO) is written directly,
//! and a failure such as a full disk is reported. An output that is one of
//! the inputs is refused before anything is written. The temporary file is
//! removed on every error and, through [`cleanup`], when the process is
//! interrupted.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Temporary files being written and child processes running, to remove and
/// end when the process is interrupted.
static PENDING: Mutex<Pending> = Mutex::new(Pending {
    files: Vec::new(),
    children: Vec::new(),
});

struct Pending {
    files: Vec<PathBuf>,
    children: Vec<u32>,
}

fn pending() -> std::sync::MutexGuard<'static, Pending> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every temporary file being written and ends every child process
/// started (Graphviz), for a signal handler: after an interruption, nothing
/// of this run is left behind.
pub fn cleanup() {
    let mut p = pending();
    for f in p.files.drain(..) {
        let _ = fs::remove_file(f);
    }
    for pid in p.children.drain(..) {
        // SIGKILL through the kill command: std has no kill by pid, and the
        // child is ours, so nobody else can have its number yet.
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// Registers a child process to end on interruption; [`forget_child`] when it
/// is done.
pub(crate) fn track_child(pid: u32) {
    pending().children.push(pid);
}

pub(crate) fn forget_child(pid: u32) {
    pending().children.retain(|&p| p != pid);
}

/// Writes `bytes` to `path`, or to standard output when `path` is `None`.
///
/// A closed standard output (a reader that stopped early, as `head` does) is
/// not an error: the result is then simply not wanted any more.
pub fn emit(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    emit_with(path, &mut |w| w.write_all(bytes))
}

/// [`emit`] for output made while it is written: `write` writes it to the
/// writer it is given (standard output, or the temporary file that then
/// replaces `path`).
pub fn emit_with(
    path: Option<&Path>,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match path {
        None => {
            let mut out = io::stdout().lock();
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Write {
                    path: PathBuf::from("<stdout>"),
                    source: e,
                }),
                _ => Ok(()),
            }
        }
        Some(p) => write_atomic_with(p, write),
    }
}

/// Refuses an output that is one of the input files (the same file, by
/// device and inode, whatever the path says), before anything is computed
/// or written.
pub fn check_not_input(output: Option<&Path>, inputs: &[PathBuf]) -> Result<()> {
    let Some(out) = output else {
        return Ok(());
    };
    let Ok(out_meta) = fs::metadata(out) else {
        return Ok(());
    };
    for input in inputs {
        if let Ok(m) = fs::metadata(input) {
            if same_file(&m, &out_meta) && out_meta.is_file() {
                return Err(Error::OutputIsInput {
                    output: out.to_owned(),
                    input: input.clone(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// The file a path finally names: symbolic links followed, also when the
/// last one points at a file that does not exist yet.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_owned();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Writes a file whole or not at all (see the module's description).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, &mut |w| w.write_all(bytes))
}

/// [`write_atomic`] for output made while it is written.
pub fn write_atomic_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let wrap = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    // What the path names in the end, links followed by the system.
    let existing = fs::metadata(path).ok();
    if let Some(m) = &existing {
        if m.is_dir() {
            return Err(wrap(io::Error::new(
                io::ErrorKind::IsADirectory,
                "it is a directory",
            )));
        }
        if !m.is_file() {
            // A device, a FIFO, or /dev/stdout (a pipe or a terminal): written
            // to, never replaced.
            let mut f = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(wrap)?;
            return write(&mut f).and_then(|()| f.flush()).map_err(wrap);
        }
    }
    // The file to replace: an existing file's real path, or where the last
    // link points when it names a file not there yet.
    let target = match &existing {
        Some(_) => fs::canonicalize(path),
        None => resolve(path),
    }
    .map_err(wrap)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().ok_or_else(|| {
        wrap(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets the mode any program would give it (0666 less the
    // umask, applied by the system when the file is created), not the
    // private 0600 of a temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    // Made and registered under the lock that [`cleanup`] takes on the
    // signal handler's thread: an interruption finds the temporary file
    // registered as soon as it exists. (Registered after it was made, an
    // interruption in between left it behind.)
    let (mut tmp, tmp_path) = {
        let mut p = pending();
        let tmp = builder.tempfile_in(&dir).map_err(wrap)?;
        let tmp_path = tmp.path().to_owned();
        p.files.push(tmp_path.clone());
        (tmp, tmp_path)
    };
    let result = (|| {
        write(&mut tmp)?;
        tmp.as_file().sync_all()?;
        if let Some(m) = &existing {
            keep_mode_and_owner(tmp.as_file(), m)?;
        }
        // Renamed and forgotten under the lock: an interruption removes the
        // temporary file before, or finds the output whole after.
        let mut p = pending();
        tmp.persist(&target).map_err(|e| e.error)?;
        p.files.retain(|f| f != &tmp_path);
        Ok(())
    })();
    pending().files.retain(|f| f != &tmp_path);
    // On an error the temporary file was dropped, which removed it.
    result.map_err(wrap)
}

/// Gives the new file the mode of the one it replaces, and its owner when the
/// process may (as root); not being allowed to change the owner is no error.
#[cfg(unix)]
fn keep_mode_and_owner(f: &fs::File, old: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    f.set_permissions(old.permissions())?;
    let _ = std::os::unix::fs::fchown(f, Some(old.uid()), Some(old.gid()));
    Ok(())
}

#[cfg(not(unix))]
fn keep_mode_and_owner(f: &fs::File, old: &fs::Metadata) -> io::Result<()> {
    f.set_permissions(old.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_whole_files_and_leaves_nothing_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.txt");
        write_atomic(&target, b"one").unwrap();
        write_atomic(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        let missing = dir.path().join("no-such-dir").join("b.txt");
        assert!(write_atomic(&missing, b"x").is_err());
        assert_eq!(files_in(dir.path()), ["a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_and_follows_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("report.json", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&target).unwrap(), b"new");
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(files_in(dir.path()), ["link.json", "report.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_usual_mode_not_a_private_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.txt");
        fs::write(&plain, "x").unwrap();
        let ours = dir.path().join("ours.txt");
        write_atomic(&ours, b"x").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&ours), mode(&plain));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        write_atomic(Path::new("/dev/null"), b"x").unwrap();
        assert!(fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        let e = write_atomic(Path::new("/dev/full"), &[0u8; 100_000]).unwrap_err();
        assert!(e.to_string().contains("/dev/full"), "{e}");
    }
}
