//! A few things looked up by name (an engine's tables, its functions, their aggregates): a
//! vector kept sorted by name and searched by bisection. It iterates in name order, as the
//! `BTreeMap<String, T>` it replaces did, for much less wasm than a B-tree of each type. Only
//! for collections that stay small: an insert or a removal moves the elements after it.

/// Something with a name, its key in a [`ByName`].
pub trait Named {
    fn name(&self) -> &str;
}

/// Values sorted by their names, the names unique.
#[derive(Clone, Debug, PartialEq)]
pub struct ByName<T>(Vec<T>);

impl<T> Default for ByName<T> {
    fn default() -> Self {
        ByName(Vec::new())
    }
}

impl<T: Named> ByName<T> {
    /// `Ok(index)` of the value named `name`, or `Err(index)` where it would go.
    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|t| t.name().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.get(self.find(name).ok()?)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut T> {
        let i = self.find(name).ok()?;
        self.0.get_mut(i)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Adds `value`, in place of the value of the same name if there is one.
    pub fn insert(&mut self, value: T) {
        match self.find(value.name()) {
            Ok(i) => {
                if let Some(old) = self.0.get_mut(i) {
                    *old = value;
                }
            }
            // `find` gives a place in 0..=len: the insert cannot fail.
            Err(i) => self.0.insert(i, value),
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<T> {
        // `find` gives a place in 0..len: the removal cannot fail.
        self.find(name).ok().map(|i| self.0.remove(i))
    }

    /// The values in name order.
    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
