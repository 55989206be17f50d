//! `state pull` and `state push`: moving a whole state document in and out of
//! a backend, with the checks that keep a push from losing someone's work.

use crate::{Error, State};

/// Checks that `pushed` may replace `current`: same lineage, and not older
/// (an equal serial only with the same content). `force` skips the checks.
pub fn check_push(current: Option<&State>, pushed: &State, force: bool) -> Result<(), Error> {
    let Some(current) = current else {
        return Ok(());
    };
    if force {
        return Ok(());
    }
    if current.lineage != pushed.lineage {
        return Err(Error::PushRefused(format!(
            "the pushed state has lineage {}, but the stored state has lineage {}: they are different \
             histories",
            pushed.lineage, current.lineage
        )));
    }
    if pushed.serial < current.serial || (pushed.serial == current.serial && pushed != current) {
        return Err(Error::PushRefused(format!(
            "the pushed state has serial {}, but the stored state is at serial {}: pushing would \
             lose the changes recorded since",
            pushed.serial, current.serial
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_of_other_lineages_and_older_serials_are_refused_unless_forced() {
        let mut current = State::new();
        current.serial = 5;
        let mut newer = current.clone();
        newer.serial = 6;
        assert!(check_push(Some(&current), &newer, false).is_ok());
        assert!(
            check_push(Some(&current), &current.clone(), false).is_ok(),
            "the same state again"
        );
        assert!(
            check_push(None, &State::new(), false).is_ok(),
            "nothing stored yet"
        );

        let mut older = current.clone();
        older.serial = 4;
        let err = check_push(Some(&current), &older, false).unwrap_err();
        assert!(
            err.to_string().contains("serial 4") && err.hint().unwrap().contains("--force"),
            "{err}"
        );
        let mut same_serial = current.clone();
        same_serial.pingform_version = "other".into();
        assert!(check_push(Some(&current), &same_serial, false).is_err());

        let foreign = State::new();
        let err = check_push(Some(&current), &foreign, false).unwrap_err();
        assert!(err.to_string().contains("lineage"), "{err}");
        assert!(check_push(Some(&current), &foreign, true).is_ok());
    }
}
