//! One module per subcommand that does more than parse its flags.

pub mod build;
pub mod init;
pub mod serve;
pub mod sign;
pub mod verify;
