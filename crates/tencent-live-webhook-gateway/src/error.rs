//! Why the gateway cannot start.

/// Why the gateway cannot start.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayError {
    /// The options do not fit together or name something that cannot be used: say so and
    /// exit 2.
    Usage(String),
    /// A file or the network failed: exit 1.
    Io(String),
}

impl std::fmt::Display for GatewayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GatewayError::Usage(message) | GatewayError::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GatewayError {}
