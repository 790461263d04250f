# nixpkgs' `lib` for models written against nixpkgs: nixproc's own helpers
# (../../lib.nix) plus the nixpkgs ones such models commonly use, with
# nixpkgs' names and semantics. `strings`, `lists`, `attrsets` and `trivial`
# are the whole set, so `lib.strings.hasPrefix` and the like work too.
let
  base = import ../../lib.nix;
  extra = self: with builtins; {
    # Builtins nixpkgs re-exports.
    inherit replaceStrings elem elemAt head tail length filter concatMap concatLists
      any all genList stringLength substring isString isList isAttrs isFunction isInt
      isBool isFloat isPath hasAttr getAttr attrValues intersectAttrs functionArgs
      sort toJSON fromJSON readFile pathExists typeOf tryEval seq deepSeq add sub
      lessThan match split baseNameOf dirOf getEnv;
    toInt = s: fromJSON s;
    id = x: x;
    const = x: _: x;
    flip = f: a: b: f b a;
    pipe = foldl' (x: f: f x);
    fix = f: let x = f x; in x;
    boolToString = b: if b then "true" else "false";
    importJSON = path: fromJSON (readFile path);
    trace = builtins.trace;
    warn = message: builtins.trace "warning: ${message}";
    throwIf = condition: message: value: if condition then throw message else value;
    assertMsg = condition: message: condition || throw message;

    # Strings
    stringToCharacters = s: genList (p: substring p 1 s) (stringLength s);
    escape = list: replaceStrings list (map (c: "\\${c}") list);
    escapeRegex = self.escape (self.stringToCharacters "\\[{()^$?*+|.");
    escapeXML = replaceStrings [ "\"" "'" "<" ">" "&" ] [ "&quot;" "&apos;" "&lt;" "&gt;" "&amp;" ];
    addContextFrom = a: b: substring 0 0 a + b;
    splitString = sep: s:
      map (self.addContextFrom s)
        (filter isString (split (self.escapeRegex (toString sep)) (toString s)));
    upperChars = self.stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    lowerChars = self.stringToCharacters "abcdefghijklmnopqrstuvwxyz";
    toUpper = replaceStrings self.lowerChars self.upperChars;
    toLower = replaceStrings self.upperChars self.lowerChars;
    hasInfix = infix: content: match ".*${self.escapeRegex infix}.*" "${content}" != null;
    fileContents = file: self.removeSuffix "\n" (readFile file);
    makeSearchPath = subDir: paths:
      self.concatStringsSep ":" (map (path: "${toString path}/${subDir}") (filter (x: x != null) paths));
    makeBinPath = self.makeSearchPath "bin";
    makeLibraryPath = self.makeSearchPath "lib";
    versionOlder = v1: v2: compareVersions v2 v1 == 1;
    versionAtLeast = v1: v2: !(self.versionOlder v1 v2);
    getName = drv: (parseDrvName (drv.name or drv)).name;
    getVersion = drv: (parseDrvName (drv.name or drv)).version;

    # Lists
    foldl = op: nul: list: foldl' op nul list;
    foldr = op: nul: list:
      let n = length list; go = i: if i == n then nul else op (elemAt list i) (go (i + 1));
      in go 0;
    forEach = list: f: map f list;
    imap0 = f: list: genList (n: f n (elemAt list n)) (length list);
    imap1 = f: list: genList (n: f (n + 1) (elemAt list n)) (length list);
    last = list: elemAt list (length list - 1);
    init = list: genList (n: elemAt list n) (length list - 1);
    take = count: list: genList (n: elemAt list n) (if count < length list then count else length list);
    drop = count: list:
      let n = length list - count; in if n <= 0 then [ ] else genList (i: elemAt list (i + count)) n;
    reverseList = list: let n = length list; in genList (i: elemAt list (n - i - 1)) n;
    count = predicate: list: length (filter predicate list);
    findFirst = predicate: default: list:
      let found = filter predicate list; in if found == [ ] then default else head found;
    intersectLists = e: filter (x: elem x e);
    subtractLists = e: filter (x: !(elem x e));
    zipListsWith = f: a: b:
      genList (n: f (elemAt a n) (elemAt b n)) (if length a < length b then length a else length b);
    sublist = start: count: list: self.take count (self.drop start list);

    # Attribute sets
    "mapAttrs'" = f: set: listToAttrs (map (name: f name set.${name}) (attrNames set));
    attrByPath = attrPath: default: set:
      if attrPath == [ ] then set
      else if set ? ${head attrPath} then self.attrByPath (tail attrPath) default set.${head attrPath}
      else default;
    hasAttrByPath = attrPath: set:
      attrPath == [ ] || (set ? ${head attrPath} && self.hasAttrByPath (tail attrPath) set.${head attrPath});
    getAttrFromPath = attrPath: set:
      self.attrByPath attrPath (throw "cannot find attribute `${self.concatStringsSep "." attrPath}'") set;
    setAttrByPath = attrPath: value:
      if attrPath == [ ] then value else { ${head attrPath} = self.setAttrByPath (tail attrPath) value; };
    mapAttrsRecursive = f: set:
      let
        recurse = path: mapAttrs (name: value:
          if isAttrs value then recurse (path ++ [ name ]) value else f (path ++ [ name ]) value);
      in recurse [ ] set;
    collect = predicate: value:
      if predicate value then [ value ]
      else if isAttrs value then concatMap (self.collect predicate) (self.attrValues value)
      else [ ];
    zipAttrsWith = f: sets:
      mapAttrs f (builtins.zipAttrsWith (name: values: values) sets);
    isDerivation = value: isAttrs value && (value.type or null) == "derivation";
    getBin = x: x;
    getLib = x: x;
    getOut = x: x;
    getDev = x: x;
    makeOverridable = f: args:
      let result = f args;
      in if isAttrs result then result // { override = more: self.makeOverridable f (args // more); } else result;
  };
  lib = base // extra lib // {
    strings = lib;
    lists = lib;
    attrsets = lib;
    trivial = lib;
  };
in
lib
