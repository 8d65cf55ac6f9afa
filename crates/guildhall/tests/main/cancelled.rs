//! A request cancelled part-way (the client hung up, a timeout fired) leaves
//! its database connection clean: the next user of that connection writes for
//! real, not inside a transaction nobody will ever commit.

use guildhall_core::ServiceAreaId;
use guildhall_store::Store;
use guildhall_testkit::*;

test_both!(a_cancelled_transaction_leaves_its_connection_clean, |app| {
    // One connection, so every attempt below reuses the same one.
    let one = Store::connect(&app.db.url, 1, 2, 64).await.unwrap();
    for polls in 1..=40 {
        // Deleting an area that does not exist opens a transaction and rolls
        // it back; stop it after `polls` polls, wherever it has got to.
        let mut delete = Box::pin(one.delete_service_area(ServiceAreaId(-1)));
        for _ in 0..polls {
            if futures_util::poll!(delete.as_mut()).is_ready() {
                break;
            }
            tokio::task::yield_now().await;
        }
        drop(delete);
        let value = format!("saved after {polls} polls");
        one.set_setting("after cancelling", &value).await.unwrap();
        // Another connection sees the write, so it was committed.
        assert_eq!(
            app.db.store.setting("after cancelling").await.unwrap(),
            Some(value)
        );
    }
});
