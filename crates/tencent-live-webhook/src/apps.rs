//! The apps a verifier serves, each with its credentials (Live tokens, TRTC keys): the
//! same registry for every signing family.
#![cfg(feature = "alloc")]

use alloc::vec::Vec;

/// Apps by `SdkAppId`, in the order they were added, each with its credentials `C`.
#[derive(Debug, Clone)]
pub(crate) struct Apps<C> {
    apps: Vec<(u64, C)>,
}

impl<C> Default for Apps<C> {
    fn default() -> Self {
        Apps { apps: Vec::new() }
    }
}

impl<C> Apps<C> {
    /// Serves `sdk_app_id` with `credentials`, replacing any earlier setting for it.
    pub(crate) fn set(&mut self, sdk_app_id: u64, credentials: C) {
        self.apps.retain(|(known, _)| *known != sdk_app_id);
        self.apps.push((sdk_app_id, credentials));
    }

    /// The credentials of `sdk_app_id`, if it is served.
    pub(crate) fn get(&self, sdk_app_id: u64) -> Option<&C> {
        self.apps
            .iter()
            .find(|(known, _)| *known == sdk_app_id)
            .map(|(_, credentials)| credentials)
    }

    /// Every app served, with its credentials.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, &C)> + '_ {
        self.apps.iter().map(|(id, credentials)| (*id, credentials))
    }

    /// The apps served.
    pub(crate) fn ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.apps.iter().map(|(id, _)| *id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_an_app_again_replaces_it_and_keeps_the_others_in_order() {
        let mut apps = Apps::default();
        apps.set(7, "a");
        apps.set(8, "b");
        apps.set(7, "c");
        assert_eq!(apps.get(7), Some(&"c"));
        assert_eq!(apps.get(9), None);
        assert_eq!(apps.ids().collect::<Vec<_>>(), [8, 7]);
        assert_eq!(apps.iter().count(), 2);
    }
}
