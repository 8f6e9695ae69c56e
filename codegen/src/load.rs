//! From a snapshot folder to the [`model`](crate::model): reads every `*.wsdl` in it, follows
//! `wsdl:import`, `xsd:import` and `xsd:include` (each file once, cycles allowed), resolves every
//! name, and merges the realms of a service (`DIDAPIAdminService`, `DIDAPIResellerService`)
//! into one module. Errors name the file, line and column of the reference that failed.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Result};
use crate::model::{
    Api, Builtin, Endpoint, Header, Member, Message, Module, Operation, Part, Service, Source,
    TypeDef, TypeRef,
};
use crate::names;
use crate::wsdl::{self, RawWsdl};
use crate::xml::{self, Ctx, QName, SourceFile, SOAPENC_NS, XSD_NS};
use crate::xsd::{self, Origin, RawContent, RawType, SchemaRef};

/// Realm suffixes of Telinta's WSDL service names (`<Service><Realm>Service`).
const REALMS: &[&str] = &["Admin", "Reseller"];

/// Loads every WSDL of `dir` into one model.
pub fn load_dir(dir: &Path) -> Result<Api> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut wsdls: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "wsdl"))
        .collect();
    wsdls.sort();
    if wsdls.is_empty() {
        return Err(Error::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no *.wsdl file"),
        });
    }
    let mut builder = ApiBuilder::default();
    for path in &wsdls {
        let world = World::load(dir, path)?;
        world.resolve_into(&mut builder)?;
    }
    Ok(builder.finish())
}

/// Everything one WSDL sees: its own definitions plus what it imports.
struct World {
    root: PathBuf,
    wsdl: RawWsdl,
    types: BTreeMap<QName, RawType>,
    /// Files read, relative to the snapshot folder, with their digests.
    files: BTreeMap<String, Source>,
}

impl World {
    fn load(root: &Path, wsdl_path: &Path) -> Result<World> {
        let mut world = World {
            root: root.to_path_buf(),
            wsdl: RawWsdl::default(),
            types: BTreeMap::new(),
            files: BTreeMap::new(),
        };
        let mut seen = HashSet::new();
        let mut wsdl_queue = vec![(normalize(wsdl_path), None::<Location>)];
        let mut schema_queue: Vec<(PathBuf, SchemaRef)> = Vec::new();
        let mut first = true;
        while let Some((path, at)) = wsdl_queue.pop() {
            if !seen.insert(path.clone()) {
                continue;
            }
            let file = read(&path, at.as_ref())?;
            let doc = file.parse()?;
            let rel = world.relative(&path);
            let ctx = Ctx::new(&path, &doc, &file.text);
            let raw = wsdl::parse_wsdl(&ctx, &rel)?;
            world.add_source(&rel, &file);
            for r in &raw.wsdl_imports {
                let target = confined(root, resolve_location(&path, r)?, r)?;
                // `wsdl:import` may name a schema file as well as a WSDL.
                if target.extension().is_some_and(|e| e == "xsd") {
                    schema_queue.push((target, r.clone()));
                } else {
                    wsdl_queue.push((target, Some(r.at.clone())));
                }
            }
            for r in &raw.schema_refs {
                schema_queue.push((confined(root, resolve_location(&path, r)?, r)?, r.clone()));
            }
            world.merge_wsdl(raw, first)?;
            first = false;
        }
        while let Some((path, r)) = schema_queue.pop() {
            if !seen.insert(path.clone()) {
                continue;
            }
            let file = read(&path, Some(&r.at))?;
            let doc = file.parse()?;
            let rel = world.relative(&path);
            let ctx = Ctx::new(&path, &doc, &file.text);
            let schema = doc.root_element();
            if !xml::is(schema, XSD_NS, "schema") {
                return Err(ctx.invalid(schema, "expected an <xsd:schema> root element"));
            }
            if let (Some(into), Some(own)) = (&r.include_into, schema.attribute("targetNamespace"))
            {
                if into != own {
                    return Err(Error::invalid(
                        r.at.clone(),
                        format!(
                            "included schema `{}` has targetNamespace `{own}`, not `{into}`",
                            r.location
                        ),
                    ));
                }
            }
            let mut types = Vec::new();
            let mut refs = Vec::new();
            xsd::parse_schema(
                &ctx,
                schema,
                &Origin::Schema(rel.clone()),
                r.include_into.as_deref(),
                &mut types,
                &mut refs,
            )?;
            world.add_source(&rel, &file);
            for t in types {
                world.add_type(t)?;
            }
            for next in refs {
                schema_queue.push((
                    confined(root, resolve_location(&path, &next)?, &next)?,
                    next,
                ));
            }
        }
        Ok(world)
    }

    fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(normalize(&self.root)).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    fn add_source(&mut self, rel: &str, file: &SourceFile) {
        let sha256 = Sha256::digest(file.text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.files.insert(
            rel.to_string(),
            Source {
                path: rel.to_string(),
                sha256,
            },
        );
    }

    fn add_type(&mut self, t: RawType) -> Result<()> {
        if let Some(existing) = self.types.get(&t.name) {
            return Err(Error::invalid(
                t.location.clone(),
                format!(
                    "type `{}` is defined twice (first at {})",
                    t.name.local, existing.location
                ),
            ));
        }
        self.types.insert(t.name.clone(), t);
        Ok(())
    }

    fn merge_wsdl(&mut self, raw: RawWsdl, first: bool) -> Result<()> {
        let RawWsdl {
            target_ns,
            doc,
            messages,
            port_types,
            bindings,
            services,
            types,
            ..
        } = raw;
        if first {
            self.wsdl.target_ns = target_ns;
            self.wsdl.doc = doc;
        }
        self.wsdl.messages.extend(messages);
        self.wsdl.port_types.extend(port_types);
        self.wsdl.bindings.extend(bindings);
        self.wsdl.services.extend(services);
        for t in types {
            self.add_type(t)?;
        }
        Ok(())
    }

    /// The module a definition goes to.
    fn module_of(&self, origin: &Origin) -> String {
        match origin {
            Origin::Wsdl(_) => self.service_module(),
            Origin::Schema(path) => {
                let stem = Path::new(path)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                names::module(&stem)
            }
        }
    }

    fn service_module(&self) -> String {
        let name = self
            .wsdl
            .services
            .first()
            .map(|s| split_realm(&s.name).0)
            .unwrap_or_else(|| "service".to_string());
        names::module(&name)
    }

    fn resolve(&self, name: &QName, at: &Location, stack: &mut Vec<QName>) -> Result<TypeRef> {
        if name.ns == XSD_NS {
            return Builtin::from_xsd_name(&name.local)
                .map(TypeRef::Builtin)
                .ok_or_else(|| {
                    Error::invalid(
                        at.clone(),
                        format!("unknown XML Schema type `xsd:{}`", name.local),
                    )
                });
        }
        if name.ns == SOAPENC_NS {
            if name.local == "Array" {
                return Ok(TypeRef::Array(Box::new(TypeRef::Builtin(Builtin::AnyType))));
            }
            return Builtin::from_xsd_name(&name.local)
                .map(TypeRef::Builtin)
                .ok_or_else(|| {
                    Error::invalid(
                        at.clone(),
                        format!("unknown SOAP encoding type `soapenc:{}`", name.local),
                    )
                });
        }
        let Some(def) = self.types.get(name) else {
            return Err(Error::invalid(
                at.clone(),
                format!(
                    "type `{}` is not defined (namespace `{}`)",
                    name.local, name.ns
                ),
            ));
        };
        if stack.contains(name) {
            return Err(Error::invalid(
                def.location.clone(),
                format!("type `{}` is defined in terms of itself", name.local),
            ));
        }
        stack.push(name.clone());
        let resolved = match &def.content {
            RawContent::Struct { .. } => Ok(TypeRef::Named {
                module: self.module_of(&def.origin),
                name: name.local.clone(),
            }),
            RawContent::Array { item: None } => {
                Ok(TypeRef::Array(Box::new(TypeRef::Builtin(Builtin::AnyType))))
            }
            RawContent::Array {
                item: Some((item, item_at)),
            } => self
                .resolve(item, item_at, stack)
                .map(|t| TypeRef::Array(Box::new(t))),
            RawContent::Simple { base, .. } => self.resolve(&base.0, &base.1, stack),
        };
        stack.pop();
        resolved
    }

    /// Members of a structure, those of its base types first.
    fn members(&self, def: &RawType, stack: &mut Vec<QName>) -> Result<Vec<Member>> {
        let RawContent::Struct { base, members } = &def.content else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        if let Some((base, at)) = base {
            if stack.contains(base) {
                return Err(Error::invalid(
                    def.location.clone(),
                    format!("type `{}` extends itself", def.name.local),
                ));
            }
            let base_def = self.types.get(base).ok_or_else(|| {
                Error::invalid(
                    at.clone(),
                    format!("base type `{}` is not defined", base.local),
                )
            })?;
            stack.push(def.name.clone());
            out = self.members(base_def, stack)?;
            stack.pop();
        }
        for m in members {
            let ty = match &m.ty {
                Some(t) => self.resolve(t, &m.location, &mut Vec::new())?,
                None => TypeRef::Builtin(Builtin::AnyType),
            };
            let ty = if m.repeated && !matches!(ty, TypeRef::Array(_)) {
                TypeRef::Array(Box::new(ty))
            } else {
                ty
            };
            out.push(Member {
                name: m.name.clone(),
                ty,
                optional: m.optional,
                nillable: m.nillable,
                marker: m.marker,
                doc: m.doc.clone(),
                rust_name: None,
                override_source: None,
            });
        }
        Ok(out)
    }

    fn message(&self, name: &QName, at: &Location) -> Result<Message> {
        let raw = self.wsdl.messages.get(name).ok_or_else(|| {
            Error::invalid(
                at.clone(),
                format!("message `{}` is not defined", name.local),
            )
        })?;
        let mut parts = Vec::new();
        for p in &raw.parts {
            parts.push(Part {
                name: p.name.clone(),
                ty: self.resolve(&p.ty, &p.location, &mut Vec::new())?,
            });
        }
        Ok(Message {
            name: name.local.clone(),
            parts,
        })
    }

    fn resolve_into(&self, api: &mut ApiBuilder) -> Result<()> {
        let Some(service) = self.wsdl.services.first() else {
            return Err(Error::invalid(
                Location::new(
                    &self
                        .root
                        .join(self.files.keys().next().map(String::as_str).unwrap_or("")),
                    1,
                    1,
                ),
                "the WSDL defines no <service>",
            ));
        };
        let (service_name, realm) = split_realm(&service.name);
        let module_name = names::module(&service_name);
        let mut operations = Vec::new();
        let mut namespace = None;
        let mut endpoints = Vec::new();
        for port in &service.ports {
            let (binding_name, at) = &port.binding;
            let binding = self.wsdl.bindings.get(binding_name).ok_or_else(|| {
                Error::invalid(
                    at.clone(),
                    format!("binding `{}` is not defined", binding_name.local),
                )
            })?;
            let (pt_name, pt_at) = &binding.port_type;
            let port_type = self.wsdl.port_types.get(pt_name).ok_or_else(|| {
                Error::invalid(
                    pt_at.clone(),
                    format!("portType `{}` is not defined", pt_name.local),
                )
            })?;
            if let Some(address) = &port.address {
                endpoints.push(Endpoint {
                    realm: realm.clone(),
                    location: address.clone(),
                });
            }
            for op in &port_type.operations {
                let bop = binding.operations.get(&op.name).ok_or_else(|| {
                    Error::invalid(
                        binding.location.clone(),
                        format!("binding has no operation `{}` of its portType", op.name),
                    )
                })?;
                let ns = bop
                    .namespace
                    .clone()
                    .unwrap_or_else(|| self.wsdl.target_ns.clone());
                namespace.get_or_insert(ns);
                let header = match &bop.header {
                    Some(h) => {
                        let msg = self.message(&h.message, &h.location)?;
                        let part = msg
                            .parts
                            .into_iter()
                            .find(|p| p.name == h.part)
                            .ok_or_else(|| {
                                Error::invalid(
                                    h.location.clone(),
                                    format!(
                                        "header message `{}` has no part `{}`",
                                        h.message.local, h.part
                                    ),
                                )
                            })?;
                        Some(Header {
                            name: part.name,
                            namespace: h.namespace.clone().unwrap_or_default(),
                            ty: part.ty,
                        })
                    }
                    None => None,
                };
                let output = match &op.output {
                    Some((name, at)) => self.message(name, at)?,
                    None => Message {
                        name: format!("{}Response", op.name),
                        parts: Vec::new(),
                    },
                };
                operations.push(Operation {
                    name: op.name.clone(),
                    deprecated: op.doc.as_deref().and_then(deprecated_in_favour_of),
                    doc: op.doc.clone(),
                    soap_action: bop.soap_action.clone(),
                    input: self.message(&op.input.0, &op.input.1)?,
                    output,
                    header,
                });
            }
        }
        operations.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(dup) = operations.windows(2).find(|w| w[0].name == w[1].name) {
            return Err(Error::invalid(
                service.location.clone(),
                format!("operation `{}` is bound twice", dup[0].name),
            ));
        }
        let service_sources: Vec<Source> = self
            .files
            .values()
            .filter(|s| s.path.ends_with(".wsdl"))
            .cloned()
            .collect();
        api.add_service(
            &module_name,
            Service {
                name: service_name,
                namespace: namespace.unwrap_or_else(|| self.wsdl.target_ns.clone()),
                endpoints,
                operations,
            },
            service.doc.clone().or_else(|| self.wsdl.doc.clone()),
            service_sources,
        )?;
        for def in self.types.values() {
            if !matches!(def.content, RawContent::Struct { .. }) {
                // Arrays and simple types are inlined where used; still check they resolve.
                self.resolve(&def.name, &def.location, &mut Vec::new())?;
                continue;
            }
            let module = self.module_of(&def.origin);
            let source = match &def.origin {
                Origin::Schema(path) => self.files.get(path).cloned(),
                Origin::Wsdl(_) => None,
            };
            let members = self.members(def, &mut Vec::new())?;
            api.add_type(
                &module,
                TypeDef {
                    name: def.name.local.clone(),
                    namespace: def.name.ns.clone(),
                    doc: def.doc.clone(),
                    members,
                    positional: false,
                },
                &def.location,
                source,
            )?;
        }
        Ok(())
    }
}

/// The replacement named by documentation that starts "Deprecated in favour of X" (the reference
/// document's wording, also "in favor of", and its misspelling "Depricated").
fn deprecated_in_favour_of(doc: &str) -> Option<String> {
    let lower = doc.to_ascii_lowercase();
    let rest = [
        "deprecated in favour of ",
        "deprecated in favor of ",
        "depricated in favour of ",
    ]
    .iter()
    .find_map(|p| lower.starts_with(p).then(|| &doc[p.len()..]))?;
    let end = rest
        .find(|c: char| c.is_whitespace() && c != ' ')
        .unwrap_or(rest.len());
    let replacement = rest[..end].split(". ").next().unwrap_or_default();
    let replacement = replacement.trim().trim_end_matches('.');
    (!replacement.is_empty()).then(|| replacement.to_string())
}

/// `DIDAPIAdminService` -> (`DIDAPI`, `Admin`).
fn split_realm(service: &str) -> (String, String) {
    let base = service.strip_suffix("Service").unwrap_or(service);
    for realm in REALMS {
        if let Some(name) = base.strip_suffix(realm) {
            if !name.is_empty() {
                return (name.to_string(), realm.to_string());
            }
        }
    }
    (base.to_string(), base.to_string())
}

fn read(path: &Path, at: Option<&Location>) -> Result<SourceFile> {
    SourceFile::read(path).map_err(|e| match (e, at) {
        (Error::Io { path, source }, Some(at)) => Error::invalid(
            at.clone(),
            format!("cannot read referenced file {}: {source}", path.display()),
        ),
        (e, _) => e,
    })
}

fn resolve_location(from: &Path, r: &SchemaRef) -> Result<PathBuf> {
    if r.location.contains("://") {
        return Err(Error::invalid(
            r.at.clone(),
            format!(
                "`{}` is remote: snapshots must reference local files (`cargo xtask fetch` rewrites locations)",
                r.location
            ),
        ));
    }
    let base = from.parent().unwrap_or(Path::new("."));
    Ok(normalize(&base.join(&r.location)))
}

/// Snapshot files may only reference files inside the snapshot folder (a snapshot set is
/// self-contained; `fetch` rewrites locations to local names).
fn confined(root: &Path, target: PathBuf, r: &SchemaRef) -> Result<PathBuf> {
    if target.starts_with(normalize(root)) {
        Ok(target)
    } else {
        Err(Error::invalid(
            r.at.clone(),
            format!("`{}` is outside the snapshot folder", r.location),
        ))
    }
}

/// Removes `.` and `..` without touching the file system, so that paths are stable.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                // Only a named component can be undone; `../..` stays `../..`.
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[derive(Default)]
struct ApiBuilder {
    modules: BTreeMap<String, ModuleBuilder>,
}

#[derive(Default)]
struct ModuleBuilder {
    sources: BTreeSet<Source>,
    doc: Option<String>,
    service: Option<Service>,
    types: BTreeMap<String, (TypeDef, Location)>,
}

impl ApiBuilder {
    fn add_service(
        &mut self,
        module: &str,
        service: Service,
        doc: Option<String>,
        sources: Vec<Source>,
    ) -> Result<()> {
        let m = self.modules.entry(module.to_string()).or_default();
        m.sources.extend(sources);
        if m.doc.is_none() {
            m.doc = doc;
        }
        match &mut m.service {
            None => m.service = Some(service),
            Some(existing) => {
                // Realms of one service must offer the same API; only endpoints differ.
                if existing.operations != service.operations
                    || existing.namespace != service.namespace
                {
                    let files: Vec<_> = m.sources.iter().map(|s| s.path.as_str()).collect();
                    return Err(Error::Conflict {
                        message: format!(
                            "the WSDLs of service `{}` ({}) differ in more than their endpoints",
                            service.name,
                            files.join(", ")
                        ),
                    });
                }
                existing.endpoints.extend(service.endpoints);
                existing.endpoints.sort_by(|a, b| a.realm.cmp(&b.realm));
                existing.endpoints.dedup();
            }
        }
        Ok(())
    }

    fn add_type(
        &mut self,
        module: &str,
        def: TypeDef,
        at: &Location,
        source: Option<Source>,
    ) -> Result<()> {
        let m = self.modules.entry(module.to_string()).or_default();
        m.sources.extend(source);
        match m.types.get(&def.name) {
            Some((existing, first)) if *existing != def => Err(Error::Conflict {
                message: format!(
                    "type `{}` of module `{module}` is defined differently at {first} and at {at}",
                    def.name
                ),
            }),
            Some(_) => Ok(()),
            None => {
                m.types.insert(def.name.clone(), (def, at.clone()));
                Ok(())
            }
        }
    }

    fn finish(self) -> Api {
        Api {
            modules: self
                .modules
                .into_iter()
                .map(|(name, m)| Module {
                    name,
                    sources: m.sources.into_iter().collect(),
                    doc: m.doc,
                    service: m.service,
                    types: m.types.into_values().map(|(t, _)| t).collect(),
                    enums: Vec::new(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_of_deprecated_operations() {
        let r = |d: &str| deprecated_in_favour_of(d);
        assert_eq!(
            r("Deprecated in favour of Destination/get_dest_group_set_list. More text."),
            Some("Destination/get_dest_group_set_list".into())
        );
        assert_eq!(
            r("Deprecated in favor of get_connections_stats"),
            Some("get_connections_stats".into())
        );
        assert_eq!(
            r("Depricated in favour of Tariff/add_tariff"),
            Some("Tariff/add_tariff".into())
        );
        assert_eq!(
            r("Deprecated in favour of Customer/get_subscriptions and Subscriptions/get_subscriptions."),
            Some("Customer/get_subscriptions and Subscriptions/get_subscriptions".into())
        );
        assert_eq!(r("Returns the list of rates."), None);
        assert_eq!(r("Deprecated in favour of "), None);
    }

    #[test]
    fn realms_are_split_from_service_names() {
        assert_eq!(
            split_realm("DIDAPIAdminService"),
            ("DIDAPI".into(), "Admin".into())
        );
        assert_eq!(
            split_realm("LS_ConferenceResellerService"),
            ("LS_Conference".into(), "Reseller".into())
        );
        assert_eq!(
            split_realm("AdminService"),
            ("Admin".into(), "Admin".into())
        );
        assert_eq!(split_realm("Weather"), ("Weather".into(), "Weather".into()));
    }
}
