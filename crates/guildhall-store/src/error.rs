use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique or foreign-key constraint refused the write; carries its name.
    #[error("conflict on {0}")]
    Conflict(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Other(String),
}

impl StoreError {
    /// Turns a constraint violation into `Conflict` and an empty result into `NotFound`.
    pub(crate) fn from_sqlx(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db)
                if db.is_unique_violation() || db.is_foreign_key_violation() =>
            {
                StoreError::Conflict(db.constraint().unwrap_or("unknown").to_string())
            }
            _ => StoreError::Database(e),
        }
    }
}

pub(crate) trait ResultExt<T> {
    fn db(self) -> Result<T, StoreError>;
}

impl<T> ResultExt<T> for Result<T, sqlx::Error> {
    fn db(self) -> Result<T, StoreError> {
        self.map_err(StoreError::from_sqlx)
    }
}

/// The number of rows a statement changed, the same type on both backends.
pub(crate) trait Affected {
    fn affected(self) -> Result<u64, StoreError>;
}

impl Affected for Result<sqlx::sqlite::SqliteQueryResult, sqlx::Error> {
    fn affected(self) -> Result<u64, StoreError> {
        self.map(|r| r.rows_affected())
            .map_err(StoreError::from_sqlx)
    }
}

impl Affected for Result<sqlx::postgres::PgQueryResult, sqlx::Error> {
    fn affected(self) -> Result<u64, StoreError> {
        self.map(|r| r.rows_affected())
            .map_err(StoreError::from_sqlx)
    }
}
