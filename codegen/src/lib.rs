//! The generator: a validated API description in, the files of a typed Rust client out.
//! It does no file or network I/O of its own.
