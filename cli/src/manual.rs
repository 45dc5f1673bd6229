//! `completions` and `man`: the shell completion scripts and the manual
//! pages, generated from the command line's own definition by clap's
//! companions (`clap_complete`, `clap_mangen`), so they never drift from it.

use clap::CommandFactory as _;

use crate::{Cli, Fatal};

#[derive(clap::Args)]
pub(crate) struct CompletionArgs {
    /// The shell: bash, elvish, fish, powershell or zsh.
    shell: clap_complete::Shell,
}

#[derive(clap::Args)]
pub(crate) struct ManArgs {
    /// A command's own page (mdm-push-cert-COMMAND(1)) instead of the tool's.
    command: Option<String>,
}

pub(crate) fn completions(args: &CompletionArgs) -> Result<u8, Fatal> {
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, name, &mut script);
    write_stdout(&script)
}

pub(crate) fn man(args: &ManArgs) -> Result<u8, Fatal> {
    let mut cmd = Cli::command();
    cmd.build();
    let source = format!(
        "{} {}",
        cmd.get_name(),
        cmd.get_version().unwrap_or_default()
    );
    let cmd = match &args.command {
        None => cmd,
        Some(name) => {
            let tool = cmd.get_name().to_owned();
            let sub = cmd
                .find_subcommand(name)
                .filter(|c| !c.is_hide_set())
                .ok_or_else(|| Fatal(format!("man: no command {name}")))?;
            // The page of `mdm-push-cert inspect` is mdm-push-cert-inspect(1).
            let page = format!("{tool}-{}", sub.get_name());
            sub.clone().display_name(page)
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .source(source)
        .render(&mut page)
        .map_err(|e| Fatal(format!("man: {e}")))?;
    write_stdout(&page)
}

/// The generated text on standard output; a closed pipe is no error.
fn write_stdout(bytes: &[u8]) -> Result<u8, Fatal> {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(bytes);
    Ok(0)
}
